// `declass redact IN.pdf -o OUT.pdf [--box ...] [--term ...] [--regex ...] [--rules FILE.tsv] [--stamp TEXT]`
// and `declass redact IN... --out-dir DIR`: storeless true redaction of PDFs (no store, no signature).
// Exit 0 all written, 1 usage, 2 an input could not be redacted (unreadable, encrypted, unsafe page),
// 4 an output failed its own verification; a file that fails leaves no output behind.
#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <unistd.h>

#include "app/cli.hpp"
#include "app/redact.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/exit_codes.hpp"
#include "core/io.hpp"
#include "core/parallel.hpp"
#include "crypto/hash.hpp"
#include "crypto/keys.hpp"

namespace declass::app {

namespace {

constexpr std::size_t max_pdf_input = std::size_t{1} << 30;  // 1 GiB

// Error messages of lower layers must not carry a term the user asked to remove.
std::string scrub(std::string msg, const std::vector<PatternSpec>& pats) {
  for (const auto& p : pats) {
    if (!p.literal || p.pattern.size() < 2) continue;
    for (std::size_t at = msg.find(p.pattern); at != std::string::npos; at = msg.find(p.pattern, at))
      msg.replace(at, p.pattern.size(), "<withheld>");
  }
  return msg;
}

std::string output_for(const std::string& input, const std::string& out_dir) {
  return (std::filesystem::path(out_dir) / std::filesystem::path(input).filename()).string();
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  return std::filesystem::exists(b, ec) && std::filesystem::equivalent(a, b, ec);
}

// What redacting one file gives: its report, the lines to print, and its outcome. It crosses the
// process boundary as JSON under --jobs.
struct FileResult {
  Json report;
  std::string out_line, err_line;
  int code = exit_code::ok;
  bool ok = false;
  std::size_t pages = 0, areas = 0;
  std::string usage_where, usage_message;  // a usage error stops the whole run

  Json to_json() const {
    return Json{{"report", report}, {"out", out_line}, {"err", err_line}, {"code", code}, {"ok", ok},
                {"pages", pages}, {"areas", areas}, {"usage_where", usage_where}, {"usage_message", usage_message}};
  }
  static FileResult from_json(const Json& j) {
    FileResult r;
    r.report = j.at("report");
    r.out_line = j.at("out").get<std::string>();
    r.err_line = j.at("err").get<std::string>();
    r.code = j.at("code").get<int>();
    r.ok = j.at("ok").get<bool>();
    r.pages = j.at("pages").get<std::size_t>();
    r.areas = j.at("areas").get<std::size_t>();
    r.usage_where = j.at("usage_where").get<std::string>();
    r.usage_message = j.at("usage_message").get<std::string>();
    return r;
  }
};

}  // namespace

void register_redact(CLI::App& root, Dispatch& d) {
  struct Opts {
    std::vector<std::string> inputs, boxes, terms, regexes, rules, stamps;
    std::string output, out_dir, password_file, password_spec, report;
    bool rasterize = false, json = false, case_sensitive = false;
    int jobs = 1;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = root.add_subcommand(
      "redact", "Truly redact PDFs without the review store: remove text, images and paths under boxes and matches, label, verify");
  cmd->fallthrough();
  cmd->add_option("inputs", o->inputs, "PDF file(s) to redact (several need --out-dir)")->required();
  cmd->add_option("-o,--output", o->output, "Output PDF for a single input (written only after verification)");
  cmd->add_option("--out-dir", o->out_dir, "Output folder for several inputs (same file names; created if missing)");
  cmd->add_option("--box", o->boxes,
                  "Area to remove: PAGE:x0,y0,x1,y1:CODES in PDF points from the page's lower-left corner, e.g. 1:72,700,300,712:B6 "
                  "(repeatable; applied to every input)")
      ->allow_extra_args(false);
  cmd->add_option("--term", o->terms,
                  "Literal text to remove wherever it occurs: TEXT:CODES, e.g. CHIKVISHVILI:B6 (repeatable; case-insensitive unless "
                  "--case-sensitive; spaces match any line break; found across hyphenated line ends)")
      ->allow_extra_args(false);
  cmd->add_option("--regex", o->regexes,
                  "RE2 regular expression to remove: RE:CODES, e.g. '\\([0-9]{3}\\) [0-9]{3}-[0-9]{4}:B6' (repeatable; matched on "
                  "paragraph text with whitespace runs collapsed to one space)")
      ->allow_extra_args(false);
  cmd->add_option("--rules", o->rules, "Rules file: label<TAB>lit|re<TAB>pattern per line, '#' comments (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--stamp", o->stamps, "Header line drawn at the top margin of every page (repeatable: one line each)")
      ->allow_extra_args(false);
  cmd->add_option("--password-file", o->password_file, "File whose first line is the password of encrypted inputs");
  cmd->add_option("--password", o->password_spec, "Password source for encrypted inputs: env:VAR or file:PATH (never the password itself)");
  cmd->add_flag("--rasterize-unsafe-pages", o->rasterize,
                "Rebuild pages that cannot be redacted safely (undecodable image or font under an area) as images instead of refusing them");
  cmd->add_flag("--case-sensitive", o->case_sensitive, "Match --term and 'lit' rules case-sensitively");
  cmd->add_flag("--json", o->json, "Print the report (schema declass.redact/1) on stdout, one JSON line per input");
  cmd->add_option("--jobs", o->jobs,
                  "Redact up to N files at once, each in its own process (default 1; output and reports stay in input order)")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--report", o->report,
                  "Write the JSON report to this file (one input: declass.redact/1; several: declass.redact-run/1 with all files)");
  cmd->footer(
      "CODES are exemption codes printed in the boxes: B6, (b)(6), B7(C), B1,1.4(D), 25X1 ...\n"
      "Terms and regexes are matched on the paragraph text of the PDF (so a match across a line break or a\n"
      "hyphenated line end is found and every fragment removed), on every line (page headers, footers, stamps)\n"
      "and across the break between two lines that no paragraph joins (a stamp line, then a body line).\n"
      "The output is fully rewritten: annotations, forms, outlines, attachments, JavaScript, metadata and\n"
      "hidden layers are dropped; it is re-read and checked (no glyph left under an area, kept text in place)\n"
      "before it is written. Reports name how each area was found ('term #2', 'rules.tsv line 14'), never the text.\n"
      "\n"
      "Examples:\n"
      "  declass redact cable.pdf -o cable-redacted.pdf --term CHIKVISHVILI:B6 \\\n"
      "      --regex '\\([0-9]{3}\\) [0-9]{3}-[0-9]{4}:B6' --box 1:72,90,300,140:B1,1.4(D)\n"
      "  declass redact in/*.pdf --out-dir out --rules rules.tsv --stamp 'RELEASED IN PART B6' --report run.json\n"
      "  declass redact scan.pdf -o out.pdf --term 'SERGEY IVANOV:B1,1.4(D)' --rasterize-unsafe-pages --json\n"
      "\n"
      "Exit codes: 0 every output written and verified, 1 bad usage, 2 an input could not be redacted (unreadable,\n"
      "encrypted without password, unsafe page refused, --box outside the file), 4 an output failed verification.\n"
      "A failed input leaves no output file; with several inputs the others are still processed.");
  cmd->callback([o, &d] {
    d.action = [o] {
      // ---- usage checks (exit 1 before any work) ----
      if (o->inputs.size() > 1 && o->out_dir.empty())
        throw Error(ErrorCategory::usage, "redact", "several inputs need --out-dir DIR (or redact one file with -o OUT.pdf)");
      if (!o->output.empty() && !o->out_dir.empty())
        throw Error(ErrorCategory::usage, "redact", "give either -o OUT.pdf (one input) or --out-dir DIR, not both");
      if (o->output.empty() && o->out_dir.empty())
        throw Error(ErrorCategory::usage, "redact", "name the output: -o OUT.pdf, or --out-dir DIR");
      if (!o->password_file.empty() && !o->password_spec.empty())
        throw Error(ErrorCategory::usage, "--password", "give either --password-file or --password, not both");
      RedactSpec spec;
      for (std::size_t i = 0; i < o->boxes.size(); ++i) spec.boxes.push_back(parse_box_spec(o->boxes[i], i + 1));
      std::vector<PatternSpec> pats;
      for (std::size_t i = 0; i < o->terms.size(); ++i) pats.push_back(parse_term_spec(o->terms[i], i + 1));
      for (std::size_t i = 0; i < o->regexes.size(); ++i) pats.push_back(parse_regex_spec(o->regexes[i], i + 1));
      for (const auto& r : o->rules)
        for (auto& p : load_rules_tsv(r)) pats.push_back(std::move(p));
      if (spec.boxes.empty() && pats.empty() && o->stamps.empty())
        throw Error(ErrorCategory::usage, "redact", "nothing to do: give --box, --term, --regex or --rules (or at least --stamp)");
      spec.stamps = o->stamps;
      spec.rasterize_unsafe_pages = o->rasterize;
      if (!o->password_file.empty()) spec.password = crypto::read_passphrase("file:" + o->password_file);
      if (!o->password_spec.empty()) spec.password = crypto::read_passphrase(o->password_spec);
      PatternMatcher matcher(pats, o->case_sensitive);
      if (!o->out_dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(o->out_dir, ec);
        if (ec) throw Error(ErrorCategory::input, o->out_dir, "cannot create the output folder: " + ec.message());
      }
      for (const auto& in : o->inputs) {
        std::string out = o->output.empty() ? output_for(in, o->out_dir) : o->output;
        if (same_file(in, out))
          throw Error(ErrorCategory::usage, in, "the output would overwrite the input; choose another -o or --out-dir");
      }

      // ---- the files: one after the other, or up to --jobs at once in child processes ----
      SystemClock clock;
      const bool progress = o->inputs.size() > 1 && ::isatty(2) && !o->json;
      int rc = exit_code::ok;
      std::size_t ok_files = 0, failed = 0, total_pages = 0, total_areas = 0;
      Json files = Json::array();
      const bool want_reports = o->json || !o->report.empty();
      auto t_start = std::chrono::steady_clock::now();
      // One file: read, redact, verify, write. Its messages are returned, not printed (it may run in a child process).
      auto redact_file = [&](std::size_t k) {
        FileResult fr;
        const std::string& in = o->inputs[k];
        std::string out = o->output.empty() ? output_for(in, o->out_dir) : o->output;
        try {
          std::string bytes = io::read_file(in, max_pdf_input);
          RedactOutcome r = redact_pdf_bytes(bytes, in, spec, matcher, clock);
          io::write_file_atomic(out, r.pdf);
          // the per-file report (and its two digests) only when it is printed (--json) or collected (--report)
          if (want_reports) fr.report = redact_report_json(r, in, crypto::sha256_hex(bytes), out, crypto::sha256_hex(r.pdf));
          fr.ok = true;
          fr.pages = static_cast<std::size_t>(r.pages);
          fr.areas = r.areas.size();
          std::ostringstream line;
          line << "redacted " << in << " → " << out << ": " << r.pages << " pages, " << r.areas.size() << " areas (" << r.matches
               << " text matches), " << r.report.glyphs_removed << " glyphs removed";
          if (!r.report.rasterized_pages.empty()) line << ", " << r.report.rasterized_pages.size() << " page(s) rasterized";
          line << "; verified\n";
          fr.out_line = line.str();
        } catch (const Error& e) {
          if (e.category() == ErrorCategory::usage) {
            fr.usage_where = e.where();
            fr.usage_message = e.message();
            return fr;
          }
          fr.code = exit_code::for_error(e);
          std::string msg = scrub(e.what(), pats);
          fr.err_line = "declass: " + in + ": " + to_string(e.category()) + " error: " + msg + "\n";
          fr.report = Json{{"schema", "declass.redact/1"},
                           {"input", {{"path", in}}},
                           {"output", {{"path", out}, {"written", false}}},
                           {"error", {{"category", to_string(e.category())}, {"message", msg}, {"exit_code", fr.code}}}};
        }
        return fr;
      };
      // Results are taken in input order, whichever way they were produced.
      auto take = [&](std::size_t k, FileResult fr) {
        if (!fr.usage_message.empty()) throw Error(ErrorCategory::usage, fr.usage_where, fr.usage_message);
        if (progress) std::cerr << "\r\033[K";
        if (fr.ok) {
          ++ok_files;
          total_pages += fr.pages;
          total_areas += fr.areas;
          if (!o->json) std::cout << fr.out_line;
        } else {
          ++failed;
          if (fr.code == exit_code::verify_failed || rc == exit_code::ok) rc = fr.code;
          std::cerr << fr.err_line;
        }
        if (o->json) std::cout << fr.report.dump() << "\n" << std::flush;
        if (!o->report.empty()) files.push_back(std::move(fr.report));
        if (progress && k + 1 < o->inputs.size())
          std::cerr << "\r[" << (k + 2) << "/" << o->inputs.size() << "] " << o->inputs[k + 1] << "\033[K" << std::flush;
      };
      if (progress) std::cerr << "\r[1/" << o->inputs.size() << "] " << o->inputs[0] << "\033[K" << std::flush;
      if (o->jobs <= 1 || o->inputs.size() <= 1) {
        for (std::size_t k = 0; k < o->inputs.size(); ++k) take(k, redact_file(k));
      } else {
        run_in_processes(
            o->inputs.size(), o->jobs, [&](std::size_t k) { return redact_file(k).to_json().dump(); },
            [&](std::size_t k, const std::string* result) {
              FileResult fr;
              if (result) {
                fr = FileResult::from_json(Json::parse(*result));
              } else {  // the process died without a result: the file failed, nothing was written for it
                const std::string& in = o->inputs[k];
                std::string out = o->output.empty() ? output_for(in, o->out_dir) : o->output;
                fr.code = exit_code::error;
                fr.err_line = "declass: " + in + ": input error: the process redacting this file ended without a result\n";
                fr.report = Json{{"schema", "declass.redact/1"},
                                 {"input", {{"path", in}}},
                                 {"output", {{"path", out}, {"written", false}}},
                                 {"error", {{"category", "input"}, {"message", "the process redacting this file ended without a result"},
                                            {"exit_code", fr.code}}}};
              }
              take(k, std::move(fr));
            });
      }
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
      if (progress) std::cerr << "\r\033[K";
      if (o->inputs.size() > 1 && !o->json)
        std::cout << ok_files << " of " << o->inputs.size() << " file(s) redacted, " << total_pages << " pages, " << total_areas
                  << " areas in " << std::fixed << std::setprecision(1) << seconds << " s"
                  << (failed ? "; " + std::to_string(failed) + " failed (see above), no output for them" : "") << "\n";
      if (!o->report.empty()) {
        Json doc;
        if (o->inputs.size() == 1) {
          doc = files.empty() ? Json::object() : files[0];
        } else {
          doc = Json{{"schema", "declass.redact-run/1"},
                     {"files", std::move(files)},
                     {"summary", {{"inputs", o->inputs.size()}, {"redacted", ok_files}, {"failed", failed},
                                  {"pages", total_pages}, {"areas", total_areas}, {"seconds", seconds}}}};
        }
        io::write_file_atomic(o->report, doc.dump(2) + "\n");
      }
      return rc;
    };
  });
}

}  // namespace declass::app
