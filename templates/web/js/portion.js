// Classification level of a paragraph's portion mark: U, C, S, TS or '' (unmarked). Uses a portion
// field when the server provides one, else the mark at the start of the paragraph text
// ("2. (S) ...", "(S//NF) ...", "(TS//SI//NF)", State's "(S/NF)", "(SBU)", "(U)").

const LEVELS = {
  U: 'U', UNCLASSIFIED: 'U', SBU: 'U', LOU: 'U', FOUO: 'U', CUI: 'U', 'U//FOUO': 'U',
  C: 'C', CONFIDENTIAL: 'C',
  S: 'S', SECRET: 'S',
  TS: 'TS', 'TOP SECRET': 'TS',
};

export const LEVEL_NAMES = { U: 'Unclassified', C: 'Confidential', S: 'Secret', TS: 'Top Secret', '': 'Unmarked' };

function levelOfMark(mark) {
  if (typeof mark !== 'string') return '';
  const inner = mark.trim().replace(/^\(/, '').replace(/\)$/, '').toUpperCase();
  const head = inner.split('/')[0].trim();
  return LEVELS[head] || LEVELS[inner] || '';
}

const LEADING_MARK = /^\s*(?:(?:\d{1,3}|[A-Z])[.)]\s*)?(\((?:TS|S|C|U|SBU|LOU|FOUO|CUI)(?:\s*\/{1,2}\s*[A-Z0-9 -]+)*\))/;

export function portionOf(paragraph) {
  const p = paragraph.portion ?? paragraph.portion_mark;
  if (p && typeof p === 'object') {
    const fromObject = levelOfMark(p.level ?? p.classification ?? p.mark ?? p.text ?? '');
    if (fromObject) return { level: fromObject, mark: p.mark ?? p.text ?? `(${fromObject})` };
  } else if (typeof p === 'string' && p) {
    const level = levelOfMark(p);
    if (level) return { level, mark: p.startsWith('(') ? p : `(${p})` };
  }
  const m = LEADING_MARK.exec(paragraph.text || '');
  if (m) return { level: levelOfMark(m[1]), mark: m[1] };
  return { level: '', mark: '' };
}
