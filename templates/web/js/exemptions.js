// Exemption codes offered to the reviewer, grouped as in a Vaughn index: FOIA 5 U.S.C. 552(b),
// E.O. 13526 §1.4 classification categories, and the §3.3(b) 25-year exemptions. The server
// canonicalises and validates them (markings::canonical_exemption); "Other" accepts any code it knows.

export const EXEMPTION_GROUPS = [
  {
    name: 'FOIA (5 U.S.C. 552(b))',
    codes: [
      ['(b)(1)', 'classified national security information'],
      ['(b)(2)', 'internal personnel rules and practices'],
      ['(b)(3)', 'exempted by another statute'],
      ['(b)(4)', 'trade secrets, commercial information'],
      ['(b)(5)', 'privileged inter-/intra-agency records'],
      ['(b)(6)', 'personal privacy'],
      ['(b)(7)(A)', 'law enforcement: interference with proceedings'],
      ['(b)(7)(B)', 'law enforcement: fair trial'],
      ['(b)(7)(C)', 'law enforcement: personal privacy'],
      ['(b)(7)(D)', 'law enforcement: confidential source'],
      ['(b)(7)(E)', 'law enforcement: techniques and procedures'],
      ['(b)(7)(F)', 'law enforcement: life or safety'],
      ['(b)(8)', 'financial institution examination'],
      ['(b)(9)', 'geological and geophysical data'],
    ],
  },
  {
    name: 'E.O. 13526 §1.4',
    codes: [
      ['1.4(a)', 'military plans, weapons systems, operations'],
      ['1.4(b)', 'foreign government information'],
      ['1.4(c)', 'intelligence activities, sources, methods, cryptology'],
      ['1.4(d)', 'foreign relations, confidential sources'],
      ['1.4(e)', 'scientific, technological, economic matters'],
      ['1.4(f)', 'safeguarding nuclear materials or facilities'],
      ['1.4(g)', 'vulnerabilities of systems, installations, plans'],
      ['1.4(h)', 'weapons of mass destruction'],
    ],
  },
  {
    name: 'E.O. 13526 §3.3(b) (25 years)',
    codes: [
      ['25X1', 'human intelligence source'],
      ['25X2', 'weapon of mass destruction'],
      ['25X3', 'cryptologic systems'],
      ['25X4', 'weapons system technology'],
      ['25X5', 'military war plans'],
      ['25X6', 'foreign relations'],
      ['25X7', 'protection of officials'],
      ['25X8', 'emergency preparedness'],
      ['25X9', 'treaty or international agreement'],
    ],
  },
];
