// `declass recommend` and `declass policy` as library calls: load and validate a policy, run it
// over an inspected record, and render the result as schema declass.recommend/1 JSON or text.
// Explanations quote document text: print or store them, never log them.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "core/date.hpp"
#include "core/json.hpp"
#include "ingest/document.hpp"
#include "rules/evaluate.hpp"
#include "rules/policy.hpp"

namespace declass::app {

using ByteRange = std::pair<std::size_t, std::size_t>;

struct DocumentRecommendation {
  std::string path;
  std::string sha256;                       // of the input bytes
  std::string policy_path;
  std::size_t policy_rules = 0;
  Date review_date;
  rules::Recommendation result;             // typed result (paragraphs, spans, disposition, stamp codes)
  // span_sources[i][k]: source byte ranges of result.paragraphs[i].spans[k] (Paragraph::source_ranges).
  std::vector<std::vector<std::vector<ByteRange>>> span_sources;
};

// Loads a policy; on errors throws Error(policy) whose message lists every "file:line:col: message".
rules::Policy load_policy_checked(const std::string& path);

DocumentRecommendation recommend_document(const ingest::Document& doc, const std::string& sha256,
                                          const rules::Policy& policy, const Date& review_date);
// Reads and inspects the file (same reader as `declass inspect`), then recommends.
DocumentRecommendation recommend_file(const std::string& path, const rules::Policy& policy, const Date& review_date);

Json recommendation_json(const DocumentRecommendation& r);  // schema declass.recommend/1
std::string recommendation_text(const DocumentRecommendation& r);

// policy explain: every rule's verdict on paragraph `index` (1-based) of the file.
Json explanation_json(const rules::ParagraphExplanation& e, const std::string& path, int index);
std::string explanation_text(const rules::ParagraphExplanation& e, const rules::ParagraphFacts& para);

}  // namespace declass::app
