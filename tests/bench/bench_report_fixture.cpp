// Generates a large review store for report timing (scripts/make-report-fixture): N documents across
// cases, each a generated cable-like text of numbered paragraphs (a share of paragraphs drawn from a
// common pool so consistency has near-duplicates to find), decisions with their audit events, approvals
// and releases — written through the store API in large transactions (a few seconds, not hours).
// Usage: bench_report_fixture DB [DOCUMENTS=10000] [DECISIONS_PER_DOCUMENT=20] [DOCS_PER_CASE=20]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/date.hpp"
#include "core/json.hpp"
#include "ingest/text_reader.hpp"
#include "store/records.hpp"
#include "store/store.hpp"

using namespace declass;

namespace {

const char* const vocabulary[] = {
    "minister", "embassy", "talks", "delegation", "treaty", "missile", "reduction", "proposal", "soviet", "moscow",
    "washington", "secretary", "ambassador", "government", "agreement", "verification", "forces", "strategic",
    "meeting", "discussion", "position", "president", "foreign", "policy", "security", "council", "regional",
    "conflict", "border", "economic", "assistance", "negotiations", "experts", "working", "group", "report",
    "source", "contact", "official", "statement", "press", "elections", "parliament", "nuclear", "program",
    "inspection", "cooperation", "military", "defense", "intelligence", "request", "response", "instructions",
    "department", "visit", "schedule", "concern", "issue", "progress", "framework", "commitment", "the", "of",
    "and", "to", "in", "that", "on", "with", "for", "as", "was", "would", "said", "not", "be", "by", "he", "it"};
constexpr std::size_t vocab_size = sizeof(vocabulary) / sizeof(vocabulary[0]);

std::string upper(std::string s) {
  for (auto& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

std::string sentence(std::mt19937_64& rng, int words) {
  std::string s;
  for (int i = 0; i < words; ++i) {
    s += (i ? " " : "") + upper(vocabulary[rng() % vocab_size]);
    if (i > 0 && i % 12 == 0 && i + 1 < words) s += ".";
  }
  return s + ".";
}

// Wrap at ~65 columns like a cable.
std::string wrap(const std::string& text) {
  std::string out, line;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t sp = text.find(' ', start);
    std::string w = text.substr(start, sp == std::string::npos ? std::string::npos : sp - start);
    if (!line.empty() && line.size() + 1 + w.size() > 65) {
      out += line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + w;
    if (sp == std::string::npos) break;
    start = sp + 1;
  }
  return out + line + "\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DB [DOCUMENTS=10000] [DECISIONS_PER_DOCUMENT=20] [DOCS_PER_CASE=20]\n", argv[0]);
    return 1;
  }
  const std::string db = argv[1];
  const int documents = argc > 2 ? std::atoi(argv[2]) : 10000;
  const int per_doc = argc > 3 ? std::atoi(argv[3]) : 20;
  const int per_case = argc > 4 ? std::max(1, std::atoi(argv[4])) : 20;
  if (std::filesystem::exists(db)) {
    std::fprintf(stderr, "%s exists; give a new path\n", db.c_str());
    return 1;
  }
  auto t0 = std::chrono::steady_clock::now();
  FixedClock clock(Date{2019, 1, 2}.days() * 86400 + 9 * 3600);
  auto st = store::Store::open(db, clock, {.create = true});
  std::mt19937_64 rng(20261128);
  const std::vector<std::string> reviewers{"r01", "r02", "r03", "r04", "r05", "r06", "r07", "r08"};
  const std::vector<std::string> authorities{"a01", "a02", "a03"};
  const std::vector<std::vector<std::string>> code_sets{{"(b)(1)", "1.4(d)"}, {"(b)(1)", "1.4(c)"}, {"(b)(6)"},
                                                        {"(b)(7)(C)"},        {"(b)(5)"},          {"(b)(3) NATSECACT1947"},
                                                        {"(b)(1)", "1.4(b)"}, {"(b)(7)(E)"}};
  // A pool of shared paragraphs (boilerplate and re-used passages) for consistency.
  std::vector<std::string> pool;
  for (int i = 0; i < 400; ++i) pool.push_back(sentence(rng, 25 + static_cast<int>(rng() % 30)));

  st->transaction([&] {
    for (const auto& n : reviewers) st->insert_user({n, "reviewer", std::nullopt, std::nullopt, clock.now_iso()});
    for (const auto& n : authorities) st->insert_user({n, "authority", std::nullopt, std::nullopt, clock.now_iso()});
  });

  std::int64_t decisions = 0, events = 0;
  const int cases = (documents + per_case - 1) / per_case;
  const int batch = 250;
  for (int first = 0; first < documents; first += batch) {
    st->transaction([&] {
      for (int k = first; k < std::min(documents, first + batch); ++k) {
        const int case_no = k / per_case;
        const Date received = Date{2019, 1, 2}.add_days(case_no * 700 / std::max(1, cases));
        const std::string case_id = "F-BENCH-" + std::to_string(100000 + case_no);
        if (k % per_case == 0) {
          store::CaseRecord c;
          c.id = case_id;
          c.requester = "Requester " + std::to_string(case_no);
          c.received = received.iso();
          c.due = add_working_days(received, 20).iso();
          c.created_at = clock.now_iso();
          st->insert_case(c);
        }
        // The document text: a header and 20 numbered paragraphs.
        std::string text = "SECRET\n\nSUBJECT: GENERATED CABLE " + std::to_string(k) + "\n\n";
        for (int p = 1; p <= 20; ++p) {
          std::string body = rng() % 100 < 8 ? pool[rng() % pool.size()] : sentence(rng, 20 + static_cast<int>(rng() % 45));
          text += wrap(std::to_string(p) + ". (C) " + body) + "\n";
        }
        ingest::Document parsed = ingest::parse_text(text, "bench.txt");
        std::vector<store::ParagraphRecord> paras;
        for (const auto& p : parsed.paragraphs) paras.push_back({p.index, p.number, p.text});
        if (paras.empty()) continue;
        store::DocumentRecord d;
        d.case_id = case_id;
        d.doc_no = "C" + std::to_string(10000000 + k);
        d.source_name = d.doc_no + ".txt";
        d.source_sha256 = st->put_blob(text);
        d.status = "in_review";
        d.inspect_json = "{}";
        d.recommend_json = R"({"schema":"declass.recommend/1","paragraphs":[]})";
        d.imported_at = clock.now_iso();
        d.imported_by = reviewers[static_cast<std::size_t>(k) % reviewers.size()];
        d = st->insert_document(d, paras);
        const std::string reviewer = reviewers[rng() % reviewers.size()];
        for (int i = 0; i < per_doc; ++i) {
          const auto& para = paras[static_cast<std::size_t>(i) % paras.size()];
          store::DecisionRecord x;
          x.document_seq = d.seq;
          x.paragraph = para.index;
          int roll = static_cast<int>(rng() % 100);
          if (roll < 60) {
            x.action = "release";
          } else if (roll < 80) {
            x.action = "withhold";
            x.exemptions = code_sets[rng() % code_sets.size()];
            x.justification = "withheld under the policy";
          } else if (roll < 95 && para.text.size() > 12) {
            x.action = "redact";
            std::size_t b = para.text.find(' ', 4);
            std::size_t e = b == std::string::npos ? std::string::npos : para.text.find(' ', b + 1);
            if (e == std::string::npos) {
              x.action = "release";
            } else {
              x.span_begin = static_cast<std::int64_t>(b + 1);
              x.span_end = static_cast<std::int64_t>(e);
              x.span_text = para.text.substr(b + 1, e - b - 1);
              x.exemptions = {"(b)(6)"};
              x.justification = "name of a private individual";
            }
          } else {
            x.action = "refer";
            x.refer_to = rng() % 2 ? "CIA" : "DOD";
          }
          x.reviewer = reviewer;
          x.decided_at = clock.now_iso();
          x.basis = "manual";
          x.follows_recommendation = rng() % 100 < 90;
          auto ev = st->append_event({reviewer, "reviewer", "decision.record", case_id, "document:" + d.id,
                                      store::decision_payload(x, d.id)});
          x.audit_seq = ev.seq;
          st->insert_decision(x);
          ++decisions;
          ++events;
        }
        // 90% approved and released a few weeks after receipt.
        if (rng() % 100 < 90) {
          const std::string auth = authorities[rng() % authorities.size()];
          store::ApprovalRecord a;
          a.document_seq = d.seq;
          a.authority = auth;
          a.outcome = "approve";
          a.decided_at = format_iso_utc(received.add_days(10 + static_cast<int>(rng() % 30)).days() * 86400 + 36000);
          a.audit_seq = st->append_event({auth, "authority", "approval.approve", case_id, "document:" + d.id,
                                          store::approval_payload(a, d.id)})
                            .seq;
          st->insert_approval(a);
          store::ReleaseRecord r;
          r.document_seq = d.seq;
          r.output_sha256 = std::string(64, 'e');
          r.signer = "CN=" + auth;
          r.released_by = auth;
          r.released_at = format_iso_utc(received.add_days(12 + static_cast<int>(rng() % 30)).days() * 86400 + 36000);
          r.audit_seq = st->append_event({auth, "authority", "release.record", case_id, "document:" + d.id,
                                          store::release_payload(r, d.id)})
                            .seq;
          st->insert_release(r);
          st->update_document_status(d.seq, "released");
          events += 2;
        }
        clock.set(clock.now_unix() + 3600);
      }
    });
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("{\"db\":\"%s\",\"documents\":%d,\"cases\":%d,\"decisions\":%lld,\"audit_events\":%lld,\"seconds\":%.1f}\n",
              db.c_str(), documents, cases, static_cast<long long>(decisions), static_cast<long long>(events), s);
  return 0;
}
