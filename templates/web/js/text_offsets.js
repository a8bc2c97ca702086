// Offsets between the browser's UTF-16 strings and the server's UTF-8 byte offsets (decision ranges
// and spans in GET /api/documents/{doc} are byte offsets into the paragraph text), and the current
// text selection inside one paragraph element as a UTF-16 range.

const encoder = new TextEncoder();

// UTF-8 byte offset of UTF-16 index i in text.
export function utf8Offset(text, i) {
  return encoder.encode(text.slice(0, i)).length;
}

// UTF-16 index of UTF-8 byte offset b in text (a byte inside a character maps to that character's end).
export function utf16Offset(text, b) {
  let bytes = 0;
  let i = 0;
  while (i < text.length && bytes < b) {
    const cp = text.codePointAt(i);
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

// The selection as [start, end) UTF-16 indexes into container's text, trimmed of surrounding
// whitespace; null when nothing is selected or the selection leaves the container.
export function selectionIn(container) {
  const sel = window.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  const before = document.createRange();
  before.selectNodeContents(container);
  before.setEnd(range.startContainer, range.startOffset);
  const text = container.textContent;
  let start = before.toString().length;
  let end = Math.min(start + range.toString().length, text.length);
  while (start < end && /\s/.test(text[start])) start += 1;
  while (end > start && /\s/.test(text[end - 1])) end -= 1;
  if (end <= start) return null;
  // never split a surrogate pair
  if (start > 0 && /[\udc00-\udfff]/.test(text[start])) start -= 1;
  if (end < text.length && /[\udc00-\udfff]/.test(text[end])) end += 1;
  return { start, end };
}

// A DOM Range over [start, end) UTF-16 indexes of container's text (which may be split across
// child elements such as <mark>), for highlighting a remembered selection.
export function rangeIn(container, start, end) {
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let pos = 0;
  let startSet = false;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const len = node.data.length;
    if (!startSet && start <= pos + len) {
      range.setStart(node, start - pos);
      startSet = true;
    }
    if (startSet && end <= pos + len) {
      range.setEnd(node, end - pos);
      return range;
    }
    pos += len;
  }
  return null;
}
