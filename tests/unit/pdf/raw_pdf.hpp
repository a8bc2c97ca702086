// Test helper: writes small PDFs from raw object text (correct xref offsets), so interpreter tests
// can state exactly what a page contains and compute expected glyph positions by hand.
#pragma once
#include <cstdio>
#include <string>
#include <vector>

namespace declass::pdf::testing {

class RawPdf {
 public:
  // Adds an object body ("<< ... >>"); returns its object number (1-based).
  int add(const std::string& body) {
    m_objects.push_back(body);
    return static_cast<int>(m_objects.size());
  }
  int add_stream(const std::string& dict_entries, const std::string& data) {
    return add("<< /Length " + std::to_string(data.size()) + " " + dict_entries + " >>\nstream\n" + data +
               "\nendstream");
  }
  // Reserves an object number to fill in later with set().
  int reserve() { return add("null"); }
  void set(int num, const std::string& body) { m_objects.at(static_cast<std::size_t>(num - 1)) = body; }
  void set_stream(int num, const std::string& dict_entries, const std::string& data) {
    set(num, "<< /Length " + std::to_string(data.size()) + " " + dict_entries + " >>\nstream\n" + data +
                 "\nendstream");
  }

  std::string build(int root, const std::string& trailer_extra = "") const {
    std::string out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < m_objects.size(); ++i) {
      offsets.push_back(out.size());
      out += std::to_string(i + 1) + " 0 obj\n" + m_objects[i] + "\nendobj\n";
    }
    std::size_t xref = out.size();
    out += "xref\n0 " + std::to_string(m_objects.size() + 1) + "\n0000000000 65535 f \n";
    for (std::size_t off : offsets) {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%010zu 00000 n \n", off);
      out += buf;
    }
    out += "trailer\n<< /Size " + std::to_string(m_objects.size() + 1) + " /Root " + std::to_string(root) +
           " 0 R " + trailer_extra + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
    return out;
  }

 private:
  std::vector<std::string> m_objects;
};

inline std::string ref(int n) { return std::to_string(n) + " 0 R"; }

// A one-page PDF: `resources` is the page /Resources dictionary text, `content` the page content.
// Extra objects (fonts, forms) must be added to `pdf` before; returns the finished file.
inline std::string one_page(RawPdf& pdf, const std::string& resources, const std::string& content,
                            const std::string& media_box = "[0 0 612 792]") {
  int catalog = pdf.reserve();
  int pages = pdf.reserve();
  int page = pdf.reserve();
  int contents = pdf.add_stream("", content);
  pdf.set(catalog, "<< /Type /Catalog /Pages " + ref(pages) + " >>");
  pdf.set(pages, "<< /Type /Pages /Kids [" + ref(page) + "] /Count 1 >>");
  pdf.set(page, "<< /Type /Page /Parent " + ref(pages) + " /MediaBox " + media_box + " /Resources " + resources +
                    " /Contents " + ref(contents) + " >>");
  return pdf.build(catalog);
}

}  // namespace declass::pdf::testing
