// Zone classification of text lines (one pass): page markers and paging, archive cover page,
// FOIA footers, release stamps and margin codes (also right-hand margin cells of layout text),
// authority blocks, page banners/headers, cable header fields, captions, E.O./TAGS/SUBJECT/REF,
// editorial lines. Marking tokens are parsed by the markings grammar; the small regexes here
// only recognise line shapes (PAGE headers, DTG, FM/TO, cover labels).
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "core/text.hpp"
#include "ingest/detail.hpp"
#include "markings/grammar.hpp"

namespace declass::ingest::detail {
namespace {

using re2::RE2;

#define DECLASS_MONTHS "January|February|March|April|May|June|July|August|September|October|November|December"

enum LineId { k_page_marker, k_image_marker, k_foia_footer, k_review_stamp, k_declassified_word, k_authority_start, k_numbered, k_cable_page, k_page_alone, k_print_header, k_glued_ref, k_eo, k_tags, k_subject, k_subject_alone, k_ref, k_ref_item, k_dtg_line, k_dtg_labelled, k_mcn, k_cable_field, k_routing_time, k_addressee, k_email_header, k_sent_date, k_frus_title, k_editorial, k_dateline, k_header_token, k_number_alone, k_authority_in_para, k_date_only, k_count };

struct Patterns {
  RE2 page_marker{R"(^\[Page\s+(\d{1,5})\]$)"};
  RE2 image_marker{R"(^---\s*Image\s+\S*?page_(\d+)\.\w+\s*---$)"};
  RE2 cable_page{R"(^.{0,24}?PAGE\s+(\d{1,3})\s+\.?([A-Z][A-Z ]{1,20}?)\s+(\d{3,6})\b)"};
  RE2 page_alone{R"(^PAGE\s+\d{1,3}$)"};
  RE2 print_header{
      R"(POEMS\s*\.?\s*Automated|\]\s*D\s+COPY\s+\d|D COPY \d+ OF \d+|^Item Subject:|)"
      R"(RELEASE UNDER THE PRESIDENT JOHN F\. KENNEDY|^NW\s+\d{5}\s+DocId:?\s*\d+|Printed by:|)"
      R"(^\d{3}-\d{5}-\d{5}$|^Page\s+\d{1,4}$|Page\s+[\dlI]{1,3}\s+OF\s+\d)"};
  RE2 foia_footer{R"(Department\s+of\s+State\s+Case\s+No)"};
  RE2 footer_case{R"(^Case\s+No\.?\s+(\S+)$)"};
  RE2 footer_doc{R"(^Doc\s+No\.?\s+(C\d{8})\b)"};
  RE2 footer_date{R"(^Date:\s+(\d{2}/\d{2}/\d{4})\b)"};
  RE2 footer_other{R"(^(?:UNCLASSIFIED\b|U\.S\.\s+Department\s+of\s+State\b|STATE DEPT\. - PRODUCED))"};
  RE2 cable_field{
      R"(^(?:ORIGIN\s+[A-Z]|INFO\s+[A-Z]+-\S|INFO\s+LOG|SOURCE:|DRAFTED\s+BY|APPROVED\s+BY|CLEARED\s+BY|)"
      R"(DESIRED\s+DISTRIBUTION|@INFO:|@ACTION:|ACTION\s+[A-Z]+-\S|DISTRIBUTION:|CITE\s|TOR:|)"
      R"(MRN:|Date/DTG:|Action:|Pass Line:|Signature:|Drafted By:|Cleared By:|Approved By:|)"
      R"(Released By:|Info:\s|Action Post:|Dissemination Rule:|Reference:|Original Message))"};
  RE2 addressee{
      R"(^(?:FM|TO|INFO|XMT)\s+(?:AMEMBASSY|AMCONSUL|SECSTATE|USMISSION|USDEL|SECDEF|USIA|WHITE HOUSE|)"
      R"(USUN|USNATO|USEU|DIA|CIA|DIRECTOR|JOINT|CINC|NSC|ALL\b|[A-Z ]+WASHDC|[A-Z]+ COLLECTIVE|[A-Z ]+ COLLECTIVE))"};
  RE2 mcn{R"(^-*\s*[0-9A-F]{6}\s+\d{6}Z\s*/\d{2})"};
  RE2 dtg_line{R"(^[ZOPR]\s+(\d{6})Z\s+([A-Z]{3})\s+(\d{2})\b)"};
  RE2 dtg_labelled{R"(^Date/DTG:.*?\b(\d{6})Z\s+([A-Z]{3})\s+(\d{2})\b)"};
  RE2 routing_time{R"(^\d{6}[LZ]\s+[A-Z]{3}\s+\d{2}\b.*COPIES)"};
  RE2 number_alone{R"(^\d{5,6}$)"};
  RE2 eo{R"(^(?:E\s?[.,]\s?[O0o]\s?[.,]?\s*:?\s*1\d{4}\b|E\.O\.:))"};
  RE2 tags{R"(^(?:TAGS|TAGE|TAG|TAS|TABS|TGS|AGS)\s*:\s*(.*)$)"};
  RE2 subject{R"(^(?:SUBJECT|SUBJ)\s*:)"};
  RE2 subject_alone{R"(^SUBJECT$)"};
  RE2 ref{R"(^(?:REFS?\s*[:.]|REF\s+[A-Z][.)]))"};
  RE2 ref_item{R"(^[A-H][.)]\s)"};
  RE2 authority_start{R"((?i)^(?:classified\s+by|cl\s+by|derived\s+from|declassify\s+on|decl\s+on|reasons?\s*:|reason\s+\d))"};
  RE2 authority_in_para{R"((?i)^.{0,60}?\bclassified\s+by\b)"};
  RE2 review_stamp{R"((?i)^\W?\s*(review\s+authority|declassification\s+authority|classification\s+extended|portions\s+reclassified|declassified/released))"};
  RE2 declassified_word{R"(^\W?j?(?:DECLASSIFIED(?:\s+AND\s+DECAPTIONED)?|DECAPTIONED)\W{0,2}$)"};
  RE2 release_start{R"(^\W{0,2}\s*(?:RELEASE|DENIED)\s+IN\b)"};
  RE2 release_verdict{R"((?:FULL|PART)\b)"};
  RE2 code_list{
      R"(^(?:(?:B\s?[1-9](?:\s?\([A-Fa-f]\))?\)?|1\s?[.,]?\s?[45]\s?\([A-Ha-h]\)1?|25X[1-9]|B3\s+[A-Z][A-Z0-9/ ]+)\s*[,.|]?\s*)+$)"};
  RE2 margin_cell{
      R"(^(?:(?:B\s?[1-9](?:\s?\([A-Fa-f]\))?|1\s?[.,]?\s?[45]\s?\([A-Ha-h]\)1?|25X[1-9])\s*(?:[-—–~]+\s*(?i:declassify\s+on)\s*:.*)?)"
      R"(|\W{0,2}(?:RELEASE|DENIED)\s+IN\b.*|(?i:classified\s+by)\b.*|(?i:reason)\s*:.*|(?i:declassify\s+on)\s*:.*)$)"};
  RE2 editorial{R"(^(?:<<\s*END OF DOCUMENT\s*>>|NNNN|\[SOURCE NOTE|\[Source:|\[[^\]]*not declassified\]$|\[Omitted |\[no film number\]))"};
  RE2 frus_title{R"(^\d{1,4}\.\s.*\[SOURCE NOTE)"};
  RE2 email_header{
      R"(^(?:(?:From|Sent|To|Cc|Bcc|Subject|Attachments|Importance)(?::|\s{2,})|Subject\s\S{1,12}:|To\s+[A-Z][a-z]+,\s+[A-Z]))"};
  RE2 cover_date{"^(" DECLASS_MONTHS R"()\s+(\d{1,2}),\s+(\d{4})$)"};
  RE2 dateline{R"(^[A-Z][A-Za-z .]{2,40},\s+()" DECLASS_MONTHS R"()\s+(\d{1,2}),\s+(\d{4}))"};
  RE2 sent_date{R"(^Sent:?\s+[A-Za-z]+,\s+()" DECLASS_MONTHS R"()\s+(\d{1,2}),\s+(\d{4}))"};
  RE2 cover_case{R"(Case\s+(?:Number|No\.?)\s+((?:FL|F|M)-\d{4}-\d{5}))"};
  RE2 cover_doc{R"(Doc(?:ument)?\s+No\.?\s+(C\d{8}))"};
  RE2 frus_source{
      R"((?:SOURCE NOTE|\[Source:)[^\]]*?[.;]\s+(Top Secret|Secret|Confidential|Limited Official Use|Unclassified|No classification marking)((?:;\s*[^.;\]]+)*)[.\]])"};
  RE2 numbered{R"(^([,.'"]?)(\d{1,2})\.(?:\s|['"(]|[A-Z]))"};
  RE2 glued_ref{R"(^\S{0,12}?\s?S\s?TATE\s+(\d{5,6})$)"};
  RE2 header_token{R"([A-Z/]+:[A-Z]|\(\s?[0O]\d\)|[A-Z]-[0O]\d\b|/\d{3}R\b)"};
  RE2 date_only{R"(^\d{1,2}/\d{1,2}/\d{2,4}$)"};
  RE2 form_classification{R"(^CLASSIFICATION\s*:\s*(\S.*)$)"};
  RE2 decl_date{R"((?i)declassify\s+on\s*:?\s*\S)"};
  RE2::Set line_set{RE2::DefaultOptions, RE2::UNANCHORED};
  Patterns() {
    const RE2* all[] = {&page_marker, &image_marker, &foia_footer, &review_stamp, &declassified_word, &authority_start, &numbered, &cable_page, &page_alone, &print_header, &glued_ref, &eo, &tags, &subject, &subject_alone, &ref, &ref_item, &dtg_line, &dtg_labelled, &mcn, &cable_field, &routing_time, &addressee, &email_header, &sent_date, &frus_title, &editorial, &dateline, &header_token, &number_alone, &authority_in_para, &date_only};
    for (const RE2* re : all) line_set.Add(re->pattern(), nullptr);
    if (!line_set.Compile()) std::abort();
  }
};

const Patterns& pats() {
  static const Patterns p;
  return p;
}

struct Hits {
  std::uint64_t bits = 0;
  bool operator()(LineId id) const { return (bits >> id) & 1u; }
};

Hits line_hits(std::string_view t) {
  static thread_local std::vector<int> ids;
  ids.clear();
  Hits h;
  if (pats().line_set.Match(re2::StringPiece(t.data(), t.size()), &ids))
    for (int id : ids) h.bits |= std::uint64_t{1} << id;
  return h;
}

// Cheap filter before the margin-cell regexes: a cell starts (after at most two punctuation
// characters) with B/1/2 (codes), R/D (RELEASE, DENIED, Reason, Declassify) or C (Classified).
bool could_be_cell(std::string_view c) {
  std::size_t k = 0;
  while (k < c.size() && k < 3 && !text::is_alpha(c[k]) && !text::is_digit(c[k])) ++k;
  if (k >= c.size()) return false;
  switch (c[k]) {
    case 'B': case '1': case '2': case 'R': case 'r': case 'D': case 'd': case 'C': case 'c': return true;
    default: return false;
  }
}

bool has_digit_run(std::string_view t, int n) {
  int run = 0;
  for (char c : t) {
    run = text::is_digit(c) ? run + 1 : 0;
    if (run >= n) return true;
  }
  return false;
}

bool may_be_banner(std::string_view t) {
  for (char c : t) {
    if (text::is_alpha(c)) {
      switch (c) {
        case 'S': case 'C': case 'U': case 'T': case 'R': case 's': case 'c': case 'u': case 't': case 'r': return true;
        default: return false;
      }
    }
  }
  return false;
}

bool match(std::string_view s, const RE2& re) { return RE2::PartialMatch(re2::StringPiece(s.data(), s.size()), re); }

int month_number(std::string_view m) {
  static const char* names[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  if (m.size() < 3) return 0;
  std::string u = text::to_upper(m.substr(0, 3));
  for (int i = 0; i < 12; ++i)
    if (u == names[i]) return i + 1;
  return 0;
}

std::optional<Date> make_date(int y, int m, int d) {
  if (!Date::valid(y, m, d)) return std::nullopt;
  return Date{y, m, d};
}

int to_int(const std::string& s) {
  int v = 0;
  for (char c : s) {
    if (!text::is_digit(c)) break;
    if (v > 100000) break;
    v = v * 10 + (c - '0');
  }
  return v;
}

bool has_lower(std::string_view s) {
  for (char c : s)
    if (c >= 'a' && c <= 'z') return true;
  return false;
}

int count_tokens(std::string_view s) {
  int n = 0;
  bool in = false;
  for (char c : s) {
    bool sp = text::is_space(c);
    if (!sp && !in) ++n;
    in = !sp;
  }
  return n;
}

void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (s.empty()) return;
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

// Open multi-line margin block (release stamp or authority) waiting for continuation lines.
struct MarginBlock {
  bool open = false;
  Zone zone = Zone::blank;
  std::size_t column = 0;
  int lines = 0;
  bool expects_verdict = false;   // "RELEASE IN" seen without FULL/PART
  bool expects_codes = false;     // "RELEASE IN PART" without codes
  bool layout_tail = false;       // layout cell after codes: one more cell may follow
};

// Multi-line stamp being accumulated ("REVIEW AUTHORITY: Marvin" / "Russell, Senior Reviewer").
struct ReviewBlock {
  bool open = false;
  int kind = 0;  // 1 review/declassification authority, 2 classification extended / reclassified
  std::string text;
  int lines = 0;
};

class Zoner {
 public:
  Zoner(Document& doc, std::vector<LineInfo>& info) : m_doc(doc), m_info(info), m_p(pats()) {}

  void run() {
    auto raw = split_lines(m_doc.text);
    m_doc.lines.resize(raw.size());
    m_info.assign(raw.size(), LineInfo{});
    for (std::size_t i = 0; i < raw.size(); ++i) {
      Line& l = m_doc.lines[i];
      l.number = static_cast<int>(i + 1);
      l.offset = raw[i].offset;
      l.length = raw[i].length;
    }
    find_cover();
    find_multiline_footers();
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i].form_feed_before && m_seen_content) start_page(true);
      else if (raw[i].form_feed_before) m_page_explicit = true;
      classify(i);
    }
    close_stamp_group();
    close_review();
    finish();
  }

 private:
  Document& m_doc;
  std::vector<LineInfo>& m_info;
  const Patterns& m_p;

  // paging
  int m_page = 1;
  bool m_page_explicit = false;
  bool m_page_has_content = false;
  bool m_page_has_body = false;
  bool m_seen_content = false;

  // cover and footers
  std::size_t m_cover_end = 0;
  std::vector<char> m_footer_block;  // per line: part of a multi-line FOIA footer
  std::vector<std::optional<markings::FoiaFooter>> m_footer_at;

  // modes
  bool m_header_mode = false;
  int m_subject_lines = 0;  // > 0 while a SUBJECT: block is open
  bool m_ref_mode = false;
  int m_nonblank_seen = 0;
  MarginBlock m_margin;
  ReviewBlock m_review;

  // collected marking text
  std::string m_stamp_text;
  bool m_stamp_group_open = false;
  std::string m_eo_text;
  std::string m_authority_text;
  int m_authority_line = 0;
  std::optional<markings::Marking> m_best_banner;
  int m_best_banner_line = 0;
  std::optional<Date> m_dtg_date, m_cover_date, m_dateline_date, m_sent_date;
  std::string m_subject_text;

  std::string_view line_sv(std::size_t i) const { return m_doc.line_text(m_doc.lines[i]); }

  void start_page(bool explicit_start) {
    ++m_page;
    m_page_explicit = explicit_start;
    m_page_has_content = false;
    m_page_has_body = false;
  }

  void find_cover() {
    const std::size_t n = m_doc.lines.size();
    std::size_t limit = std::min<std::size_t>(n, 80);
    std::size_t citation = n;
    for (std::size_t i = 0; i < limit; ++i) {
      if (text::trim(line_sv(i)) == "Citation:") {
        citation = i;
        break;
      }
    }
    if (citation == n) return;
    std::size_t end_limit = std::min<std::size_t>(n, citation + 80);
    for (std::size_t i = citation + 1; i < end_limit; ++i) {
      std::string_view t = text::trim(line_sv(i));
      if (t == "Original Scan") {
        m_cover_end = i + 1;
        return;
      }
      if (markings::parse_banner_line(t) || match(t, m_p.cable_page) || match(t, m_p.release_start)) {
        m_cover_end = i;
        return;
      }
    }
    m_cover_end = citation + 1;  // no clear end: only the label block start is cover
  }

  void find_multiline_footers() {
    const std::size_t n = m_doc.lines.size();
    m_footer_block.assign(n, 0);
    m_footer_at.assign(n, std::nullopt);
    for (std::size_t i = 0; i + 2 < n; ++i) {
      std::string_view a = text::trim(line_sv(i));
      if (a.size() > 40 || a.rfind("Case", 0) != 0) continue;
      std::string case_no, doc_no, date;
      if (!RE2::FullMatch(re2::StringPiece(a.data(), a.size()), m_p.footer_case, &case_no)) continue;
      std::string_view b = text::trim(line_sv(i + 1));
      std::string_view c = text::trim(line_sv(i + 2));
      if (!RE2::PartialMatch(re2::StringPiece(b.data(), b.size()), m_p.footer_doc, &doc_no)) continue;
      if (!RE2::PartialMatch(re2::StringPiece(c.data(), c.size()), m_p.footer_date, &date)) continue;
      std::string synth = "UNCLASSIFIED U.S. Department of State Case No. " + case_no + " Doc No. " + doc_no + " Date: " + date;
      m_footer_at[i] = markings::parse_foia_footer(synth);
      m_footer_block[i] = m_footer_block[i + 1] = m_footer_block[i + 2] = 1;
      for (std::size_t k = 1; k <= 2 && k <= i; ++k) {
        std::string_view t = text::trim(line_sv(i - k));
        if (match(t, m_p.footer_other)) m_footer_block[i - k] = 1;
      }
    }
  }

  // Splits a right-hand margin cell off the line (layout text), or recognises a whole-line cell.
  // Returns the zone of the cell (release_stamp/authority) or blank when there is none.
  Zone margin_split(std::size_t i, std::size_t tb, std::size_t te, std::size_t& cell_b, std::size_t& cell_e) {
    const std::string& s = m_doc.text;
    const std::size_t lo = m_doc.lines[i].offset;
    // last gutter of >= 6 spaces inside [lo, te), or leading indentation
    std::size_t cs = tb;
    std::size_t run = 0;
    for (std::size_t k = lo; k < te; ++k) {
      char c = s[k];
      if (c == ' ' || c == '\t') {
        run += (c == '\t') ? 8 : 1;
      } else {
        if (run >= 6 && k > tb) cs = k;
        run = 0;
      }
    }
    // an open margin block continues at its own column even when the gutter is narrower
    if (m_margin.open && m_margin.column >= 20) {
      std::size_t at = lo + m_margin.column;
      if (at > tb + 2 && at < te && s[at] != ' ' && s[at - 1] == ' ' && s[at - 2] == ' ') cs = at;
    }
    cell_b = cs;
    cell_e = te;
    std::string_view cell(s.data() + cell_b, cell_e - cell_b);
    std::size_t column = cell_b - lo;
    if (m_margin.open) {
      std::size_t diff = column > m_margin.column ? column - m_margin.column : m_margin.column - column;
      bool aligned = diff <= 6;
      m_margin.open = false;
      if (aligned && cell.size() <= 60) {
        if (m_margin.zone == Zone::release_stamp) {
          bool verdict = match(cell, m_p.release_verdict);
          bool codes = match(cell, m_p.code_list);
          if (m_margin.expects_verdict && verdict) {
            m_release_cell = true;
            bool part = cell.find("PART") != std::string_view::npos;
            m_margin = MarginBlock{};
            m_margin.zone = Zone::release_stamp;
            m_margin.column = column;
            m_margin.expects_codes = part && !match(cell, codes_after_verdict());
            m_margin.open = m_margin.expects_codes;
            return Zone::release_stamp;
          }
          if ((m_margin.expects_codes && codes) || (m_margin.layout_tail && cell.size() <= 40 && !has_lower(cell))) {
            m_release_cell = true;
            m_margin.expects_codes = false;
            m_margin.layout_tail = false;
            return Zone::release_stamp;
          }
        } else if (m_margin.zone == Zone::authority && !match(cell, m_p.release_start)) {
          ++m_margin.lines;
          m_margin.open = !(match(cell, m_p.decl_date) || m_margin.lines >= 5 || match(cell, m_p.date_only));
          std::string_view tail = text::trim(cell);
          if (!tail.empty() && tail.back() == ':' && m_margin.lines < 5) m_margin.open = true;
          return Zone::authority;
        }
      }
    }
    if (!could_be_cell(cell) && !could_be_cell(std::string_view(s.data() + tb, te - tb))) return Zone::blank;
    if (match(cell, m_p.code_list)) return Zone::release_stamp;
    if (!match(cell, m_p.margin_cell)) {
      if (cell_b != tb) {  // no margin cell after a gutter: try the whole line as one cell
        cell_b = tb;
        cell = std::string_view(s.data() + tb, te - tb);
        column = tb - lo;
        if (match(cell, m_p.code_list)) return Zone::release_stamp;
        if (!match(cell, m_p.margin_cell)) return Zone::blank;
      } else {
        return Zone::blank;
      }
    }
    // a new margin block
    m_margin = MarginBlock{};
    m_margin.column = column;
    if (match(cell, m_p.release_start)) {
      m_release_cell = true;
      m_margin.zone = Zone::release_stamp;
      bool verdict = match(cell, m_p.release_verdict);
      bool has_codes = verdict && match(cell, codes_after_verdict());
      if (!verdict) {
        m_margin.open = true;
        m_margin.expects_verdict = true;
      } else if (cell.find("PART") != std::string_view::npos || cell.find("DENIED") != std::string_view::npos) {
        if (!has_codes) {
          m_margin.open = true;
          m_margin.expects_codes = true;
        } else if (column >= 20) {
          m_margin.open = true;
          m_margin.layout_tail = true;
        }
      }
      return Zone::release_stamp;
    }
    if (match(cell, m_p.code_list)) return Zone::release_stamp;
    bool code_first = !cell.empty() && (cell[0] == 'B' || cell[0] == '1' || cell[0] == '2');
    if (code_first && !match(cell, m_p.decl_date)) return Zone::release_stamp;
    m_margin.zone = Zone::authority;
    m_margin.open = !match(cell, m_p.decl_date) || cell.size() < 20;
    // "... Declassify on:" with the date on the next line keeps the block open
    std::string_view tail = text::trim(cell);
    if (!tail.empty() && tail.back() == ':') m_margin.open = true;
    m_margin.lines = 1;
    return Zone::authority;
  }

  static const RE2& codes_after_verdict() {
    static const RE2 re(R"((?:FULL|PART)\s*[|]?\s*(?:B\s?[1-9]|1\.[45]|25X))");
    return re;
  }

  void add_stamp_text(std::string_view t) {
    if (!m_stamp_text.empty()) m_stamp_text += ' ';  // a newline after "B3" stops the statute name
    m_stamp_text.append(t.data(), t.size());
    m_stamp_group_open = true;
  }

  void close_stamp_group() {
    if (!m_stamp_group_open) return;
    m_stamp_group_open = false;
    if (!m_doc.markings.release && m_stamp_text.size() < 4096) {
      auto st = markings::parse_release_stamp(m_stamp_text);
      if (st) {
        if (st->line == 0) st->line = m_stamp_first_line;
        m_doc.markings.release = st;
      }
    }
    m_stamp_text.clear();
  }
  int m_stamp_first_line = 0;

  void close_review() {
    if (!m_review.open) return;
    m_review.open = false;
    if (m_review.kind == 1 && m_doc.markings.review_authority.empty()) {
      auto ra = markings::parse_review_authority(m_review.text);
      if (ra) m_doc.markings.review_authority = *ra;
    }
    m_review.text.clear();
  }

  void note_banner(const markings::Marking& m, int line) {
    if (!m.classification) return;
    if (!m_best_banner || !m_best_banner->classification ||
        markings::rank(*m.classification) > markings::rank(*m_best_banner->classification)) {
      m_best_banner = m;
      m_best_banner_line = line;
    }
  }

  void set_zone(std::size_t i, Zone z) {
    m_doc.lines[i].zone = z;
  }

  void add_authority_text(std::string_view t, int line) {
    if (!m_authority_text.empty()) m_authority_text += ' ';
    m_authority_text.append(t.data(), t.size());
    if (m_authority_line == 0) m_authority_line = line;
  }

  void note_footer(const markings::FoiaFooter& f) {
    auto& id = m_doc.markings.identifiers;
    if (id.case_number.empty()) id.case_number = f.case_number;
    if (id.doc_number.empty()) id.doc_number = f.doc_number;
    if (!m_doc.markings.release_date && f.date) m_doc.markings.release_date = f.date;
  }

  void classify(std::size_t i) {
    Line& line = m_doc.lines[i];
    LineInfo& inf = m_info[i];
    const std::string& s = m_doc.text;
    std::size_t tb = line.offset, te = line.offset + line.length;
    trim_bounds(s, tb, te);
    inf.content_begin = tb;
    inf.content_end = te;
    line.page = m_page;
    if (tb >= te) {
      line.zone = Zone::blank;
      m_margin.open = m_margin.open && m_margin.expects_verdict;  // "RELEASE IN PAR\n\nB5" style gaps
      close_stamp_group();
      close_review();
      m_ref_mode = false;
      if (m_subject_lines > 0) m_subject_lines = 0;
      return;
    }
    std::string_view t(s.data() + tb, te - tb);
    Hits h = line_hits(t);  // every line-shape pattern in one RE2::Set pass
    ++m_nonblank_seen;

    // explicit page markers
    std::string num;
    if (t.size() < 120 && (h(k_page_marker) || h(k_image_marker))) {
      if (m_page_has_content) start_page(true);
      else m_page_explicit = true;
      line.page = m_page;
      line.zone = Zone::page_header;
      m_seen_content = true;
      m_header_mode = false;
      return;
    }
    m_seen_content = true;
    m_page_has_content = true;

    if (i < m_cover_end) {
      line.zone = Zone::cover;
      cover_facts(t, i);
      return;
    }

    // review stamps that continue over lines
    if (m_review.open) {
      bool cont = t.size() <= 80 && !h(k_numbered) && !h(k_foia_footer);
      if (cont && m_review.kind == 1) {
        std::string lower = text::to_lower(t);
        cont = lower.find("review") != std::string::npos || h(k_date_only) ||
               lower.find("a/gis") != std::string::npos || m_review.text.find(',') == std::string::npos;
      } else if (cont && m_review.kind == 2) {
        cont = !match(m_review.text, m_p.decl_date) || m_review.text.back() == ':' || m_review.text.back() == '-';
      }
      if (cont && m_review.lines < 4) {
        m_review.text += ' ';
        m_review.text.append(t.data(), t.size());
        ++m_review.lines;
        line.zone = Zone::release_stamp;
        m_header_mode = false;
        if (m_review.kind == 1) {
          std::string lower = text::to_lower(t);
          if (lower.find("review") != std::string::npos || h(k_date_only)) {
            // complete unless a trailing date follows on the next line
            if (h(k_date_only)) close_review();
          }
        }
        return;
      }
      close_review();
    }
    // margin cell (layout text) or a whole-line stamp / code / authority cell
    std::size_t cb = tb, ce = te;
    m_release_cell = false;
    Zone mz = margin_split(i, tb, te, cb, ce);
    std::size_t lb = tb, le = te;
    if (mz != Zone::blank) {
      std::string_view cell(s.data() + cb, ce - cb);
      if (mz == Zone::release_stamp) {
        if (match(cell, m_p.release_start)) {
          close_stamp_group();
          m_stamp_first_line = line.number;
        }
        if (m_release_cell) add_stamp_text(cell);
        else close_stamp_group();
        auto hits = markings::find_exemption_codes(cell);
        for (const auto& hit : hits) add_unique(inf.margin_codes, hit.code);
      } else {
        add_authority_text(cell, line.number);
      }
      if (cb > tb) {  // left cell remains
        lb = tb;
        le = cb;
        trim_bounds(s, lb, le);
        line.margin_offset = cb;
        line.margin_length = ce - cb;
        line.margin_zone = mz;
      } else {
        line.zone = mz;
        if (mz == Zone::authority) inf.authority_start = !m_prev_authority_cell;
        m_prev_authority_cell = mz == Zone::authority;
        m_header_mode = false;
        return;
      }
    }
    m_prev_authority_cell = false;
    inf.content_begin = lb;
    inf.content_end = le;
    if (lb != tb || le != te) {
      t = std::string_view(s.data() + lb, le - lb);
      h = line_hits(t);
    }
    re2::StringPiece sp(t.data(), t.size());

    // FOIA footers
    if (t.size() < 400 && h(k_foia_footer)) {
      line.zone = Zone::page_footer;
      auto f = markings::parse_foia_footer(t);
      if (!f) {
        std::size_t at = t.find("U.S.");
        if (at == std::string_view::npos) at = t.find("Department");
        if (at != std::string_view::npos) f = markings::parse_foia_footer("UNCLASSIFIED " + std::string(t.substr(at)));
      }
      if (f) note_footer(*f);
      return;
    }
    if (m_footer_block[i]) {
      line.zone = Zone::page_footer;
      if (m_footer_at[i]) note_footer(*m_footer_at[i]);
      return;
    }

    std::string kind;
    if (t.size() < 300 && h(k_review_stamp) && RE2::PartialMatch(sp, m_p.review_stamp, &kind)) {
      close_review();
      line.zone = Zone::release_stamp;
      std::string k = text::to_lower(kind);
      m_review.open = true;
      m_review.kind = (k.rfind("review", 0) == 0 || k.rfind("declassification", 0) == 0) ? 1 : 2;
      m_review.text.assign(t.data(), t.size());
      m_review.lines = 1;
      return;
    }
    if (t.size() < 60 && h(k_declassified_word)) {
      line.zone = Zone::release_stamp;
      return;
    }

    // authority (unnumbered "Classified by:" style starts and its continuation handled above)
    if (h(k_authority_start) && !h(k_numbered)) {
      line.zone = Zone::authority;
      inf.authority_start = true;
      add_authority_text(t, line.number);
      m_header_mode = false;
      return;
    }

    // page headers (cable PAGE nn, print headers)
    std::string pnum, porig, pmrn;
    if (t.size() < 200 && h(k_cable_page) && RE2::PartialMatch(sp, m_p.cable_page, &pnum, &porig, &pmrn)) {
      line.zone = Zone::page_header;
      int nn = to_int(pnum);
      if (nn >= 2 && (!m_page_explicit || m_page_has_body)) {
        start_page(false);
        m_page_has_content = true;
        line.page = m_page;
        // banners and blank lines just above belong to the new page
        std::size_t first = i;
        for (std::size_t k = i; k-- > 0;) {
          Zone z = m_doc.lines[k].zone;
          if (z != Zone::blank && z != Zone::page_banner) break;
          if (z == Zone::page_banner) first = k;
        }
        for (std::size_t k = first; k < i; ++k) m_doc.lines[k].page = m_page;
      }
      if (m_page_ref.empty()) {
        std::string orig(text::trim(porig));
        m_page_ref = orig + " " + pmrn;
      }
      return;
    }
    if (t.size() < 200 && (h(k_page_alone) || h(k_print_header))) {
      line.zone = Zone::page_header;
      return;
    }

    // JFK identification form: "CLASSIFICATION : TOP SECRET" names the record's classification
    std::string form_value;
    if (t.size() < 80 && t.rfind("CLASSIFICATION", 0) == 0 &&
        RE2::FullMatch(sp, m_p.form_classification, &form_value)) {
      line.zone = Zone::cable_header;
      if (auto b = markings::parse_banner_line(form_value)) note_banner(*b, line.number);
      return;
    }
    // banners and class lines
    if (t.size() <= 60 && may_be_banner(t)) {
      auto b = markings::parse_banner_line(t);
      if (b) {
        line.zone = Zone::page_banner;
        note_banner(*b, line.number);
        return;
      }
    }
    if (t.size() <= 100 && has_digit_run(t, 3)) {
      auto cl = markings::parse_class_line(t);
      if (cl) {
        line.zone = Zone::cable_header;
        m_header_mode = true;
        note_banner(cl->marking, line.number);
        if (m_doc.markings.identifiers.message_ref.empty() && !cl->originator.empty() && !cl->number.empty())
          m_doc.markings.identifiers.message_ref = cl->originator + " " + cl->number;
        return;
      }
      std::string mrn;
      if (h(k_glued_ref) && RE2::FullMatch(sp, m_p.glued_ref, &mrn)) {
        line.zone = Zone::cable_header;
        if (m_doc.markings.identifiers.message_ref.empty()) m_doc.markings.identifiers.message_ref = "STATE " + mrn;
        return;
      }
    }

    // E.O. / TAGS / SUBJECT / REF
    if (h(k_eo)) {
      line.zone = Zone::eo_tags_subject;
      if (!m_eo_text.empty()) m_eo_text += ' ';
      if (t.rfind("E.O.:", 0) == 0) {  // SMART label form "E.O.:   13526" → "E.O. 13526"
        m_eo_text += "E.O. ";
        m_eo_text += text::trim(t.substr(5));
      } else {
        m_eo_text.append(t.data(), t.size());
      }
      if (m_authority_line == 0) m_authority_line = line.number;
      m_header_mode = false;
      m_subject_lines = 0;
      return;
    }
    std::string tags;
    if (h(k_tags) && RE2::FullMatch(sp, m_p.tags, &tags)) {
      line.zone = Zone::eo_tags_subject;
      parse_tags(tags);
      m_header_mode = false;
      m_subject_lines = 0;
      return;
    }
    if (h(k_subject) || (h(k_subject_alone) && m_subject_text.empty())) {
      line.zone = Zone::eo_tags_subject;
      inf.subject = true;
      m_subject_lines = 1;
      m_header_mode = false;
      m_ref_mode = false;
      if (m_subject_text.empty() && !m_subject_done) {
        m_subject_text.assign(t.data(), t.size());
        m_subject_first_line = line.number;
      }
      return;
    }
    if (m_subject_lines > 0) {
      if (m_subject_lines < 6 && !h(k_numbered) && !h(k_ref) && !h(k_eo)) {
        line.zone = Zone::eo_tags_subject;
        inf.subject = true;
        ++m_subject_lines;
        if (m_subject_first_line != 0 && !m_subject_done) {
          m_subject_text += ' ';
          m_subject_text.append(t.data(), t.size());
        }
        return;
      }
      m_subject_lines = 0;
    }
    if (!m_subject_text.empty()) m_subject_done = true;
    if (h(k_ref)) {
      line.zone = Zone::eo_tags_subject;
      m_ref_mode = true;
      m_header_mode = false;
      return;
    }
    if (m_ref_mode && h(k_ref_item)) {
      line.zone = Zone::eo_tags_subject;
      return;
    }
    m_ref_mode = false;

    // captions
    if (t.size() <= 80 && !has_lower(t) && !h(k_numbered)) {
      auto caps = markings::parse_caption_line(t);
      if (!caps.empty()) {
        line.zone = Zone::caption;
        for (const auto& c : caps) add_unique(m_doc.markings.captions, c);
        return;
      }
    }
    if (t.rfind("Captions:", 0) == 0) {
      line.zone = Zone::caption;
      std::string_view v = text::trim(t.substr(9));
      for (const auto& c : markings::parse_caption_line(text::to_upper(v))) add_unique(m_doc.markings.captions, c);
      return;
    }

    // cable header fields
    std::string d1, d2, d3;
    if ((h(k_dtg_line) && RE2::PartialMatch(sp, m_p.dtg_line, &d1, &d2, &d3)) || (h(k_dtg_labelled) && RE2::PartialMatch(sp, m_p.dtg_labelled, &d1, &d2, &d3))) {
      line.zone = Zone::cable_header;
      m_header_mode = true;
      if (m_doc.markings.identifiers.dtg.empty()) {
        m_doc.markings.identifiers.dtg = d1 + "Z " + d2 + " " + d3;
        int day = to_int(d1.substr(0, 2));
        int yy = to_int(d3);
        int year = yy >= 50 ? 1900 + yy : 2000 + yy;
        m_dtg_date = make_date(year, month_number(d2), day);
      }
      return;
    }
    if (h(k_mcn) || h(k_cable_field) || h(k_routing_time) || h(k_addressee)) {
      line.zone = Zone::cable_header;
      m_header_mode = true;
      return;
    }
    if (h(k_email_header)) {
      line.zone = Zone::cable_header;
      std::string mo, dd, yy;
      if (!m_sent_date && h(k_sent_date) && RE2::PartialMatch(sp, m_p.sent_date, &mo, &dd, &yy))
        m_sent_date = make_date(to_int(yy), month_number(mo), to_int(dd));
      return;
    }

    // editorial
    if (h(k_frus_title) || h(k_editorial)) {
      line.zone = Zone::editorial;
      frus_source_note(t, line.number);
      return;
    }
    if (m_nonblank_seen <= 6) {
      std::string mo, dd, yy;
      if (h(k_dateline) && RE2::PartialMatch(sp, m_p.dateline, &mo, &dd, &yy)) {
        line.zone = Zone::cable_header;
        if (!m_dateline_date) m_dateline_date = make_date(to_int(yy), month_number(mo), to_int(dd));
        return;
      }
    }

    bool numbered = h(k_numbered);
    if (m_header_mode && !numbered) {
      if (count_tokens(t) <= 4 || h(k_header_token) || h(k_number_alone)) {
        line.zone = Zone::cable_header;
        return;
      }
    }
    if (numbered) {
      m_header_mode = false;
      if (h(k_authority_in_para)) {
        line.zone = Zone::authority;
        inf.authority_start = true;
        add_authority_text(t, line.number);
        m_page_has_body = true;
        return;
      }
    }
    line.zone = Zone::body;
    m_page_has_body = true;
    // a line of body text ends the cable header: otherwise every later short line (the last line
    // of a paragraph, a continuation line after a page break) would still be read as a header field
    // and split off its paragraph, so a rule could not match across it
    m_header_mode = false;
  }
  bool m_prev_authority_cell = false;
  bool m_release_cell = false;
  bool m_subject_done = false;
  int m_subject_first_line = 0;
  std::string m_page_ref;

  void parse_tags(const std::string& v) {
    std::string tok;
    auto flush = [&] {
      if (tok.size() >= 2 && tok.size() <= 8) add_unique(m_doc.markings.tags, text::to_upper(tok));
      tok.clear();
    };
    for (char c : v) {
      if (text::is_alpha(c) || text::is_digit(c)) tok += c;
      else flush();
    }
    flush();
  }

  void cover_facts(std::string_view t, std::size_t i) {
    (void)i;
    std::string mo, dd, yy, v;
    re2::StringPiece sp(t.data(), t.size());
    if (!m_cover_date && RE2::FullMatch(sp, m_p.cover_date, &mo, &dd, &yy))
      m_cover_date = make_date(to_int(yy), month_number(mo), to_int(dd));
    auto& id = m_doc.markings.identifiers;
    if (id.case_number.empty() && RE2::PartialMatch(sp, m_p.cover_case, &v)) id.case_number = v;
    if (id.doc_number.empty() && RE2::PartialMatch(sp, m_p.cover_doc, &v)) id.doc_number = v;
  }

  void frus_source_note(std::string_view t, int line) {
    std::string level, handling;
    if (m_best_banner) return;
    if (!RE2::PartialMatch(re2::StringPiece(t.data(), t.size()), m_p.frus_source, &level, &handling)) return;
    markings::Marking m;
    m.text = level;
    std::string u = text::to_upper(level);
    if (u == "TOP SECRET") m.classification = markings::Level::TS;
    else if (u == "SECRET") m.classification = markings::Level::S;
    else if (u == "CONFIDENTIAL") m.classification = markings::Level::C;
    else if (u == "UNCLASSIFIED") m.classification = markings::Level::U;
    else if (u == "LIMITED OFFICIAL USE") {
      m.classification = markings::Level::U;
      m.controls.push_back("LOU");
    }
    for (auto item : text::split(handling, ';')) {
      std::string_view it = text::trim(item);
      if (it.empty()) continue;
      for (const auto& c : markings::parse_caption_line(text::to_upper(it))) {
        add_unique(m_doc.markings.captions, c);
      }
    }
    if (m.classification) {
      m_best_banner = m;
      m_best_banner_line = line;
    }
  }

  void finish() {
    auto& mk = m_doc.markings;
    if (m_best_banner) {
      mk.banner = m_best_banner;
      mk.banner_line = m_best_banner_line;
    }
    if (mk.identifiers.message_ref.empty() && !m_page_ref.empty()) mk.identifiers.message_ref = m_page_ref;
    // authority: E.O. line first, then the classified-by block
    if (!m_eo_text.empty()) markings::parse_authority_text(m_eo_text, mk.authority);
    if (!m_authority_text.empty()) markings::parse_authority_text(m_authority_text, mk.authority);
    if (!m_eo_text.empty() || !m_authority_text.empty()) mk.authority.line = m_authority_line;
    // subject
    if (!m_subject_text.empty()) {
      std::string_view st = m_subject_text;
      auto hit = markings::find_portion_mark(st);
      std::size_t colon = st.find(':');
      std::size_t start = colon == std::string_view::npos ? std::string_view("SUBJECT").size() : colon + 1;
      if (hit && hit->position == markings::PortionPosition::subject) {
        mk.subject_portion = hit->marking;
        if (hit->begin >= start && hit->begin <= start + 2) start = hit->end;
      }
      if (start > st.size()) start = st.size();
      mk.subject = text::collapse_spaces(st.substr(start));
    }
    if (m_dtg_date) mk.document_date = m_dtg_date;
    else if (m_cover_date) mk.document_date = m_cover_date;
    else if (m_dateline_date) mk.document_date = m_dateline_date;
    else if (m_sent_date) mk.document_date = m_sent_date;
    int pages = 1;
    for (const Line& l : m_doc.lines)
      if (l.zone != Zone::blank) pages = std::max(pages, l.page);
    m_doc.pages = pages;
  }
};

}  // namespace

void zone_lines(Document& doc, std::vector<LineInfo>& info) {
  Zoner z(doc, info);
  z.run();
}

}  // namespace declass::ingest::detail
