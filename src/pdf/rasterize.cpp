// Raster fallback (see rasterize.hpp): writes the allow-listed copy of one page to a temporary PDF,
// renders it with pdftoppm in a child process (time and memory limits, bounded output), parses the
// PPM/PGM, paints the redaction areas black and replaces the page by one Flate image.
#include "pdf/rasterize.hpp"

#include <qpdf/Buffer.hh>
#include <qpdf/Pl_Buffer.hh>
#include <qpdf/Pl_Flate.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "core/error.hpp"
#include "pdf/preview.hpp"
#include "pdf/redact_images.hpp"
#include "pdf/sanitize.hpp"

namespace declass::pdf {

namespace {

Error fail(const std::string& msg) { return Error(ErrorCategory::pdf, "rasterize", msg); }

struct TempFile {
  std::string path;
  ~TempFile() {
    if (!path.empty()) ::unlink(path.c_str());
  }
};

void write_temp(TempFile& tf, const std::string& data) {
  const char* dir = std::getenv("TMPDIR");
  std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/declass-raster-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  int fd = ::mkstemp(buf.data());
  if (fd < 0) throw fail("cannot create a temporary file in " + std::string(dir && *dir ? dir : "/tmp") + " (set TMPDIR)");
  tf.path = buf.data();
  std::size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      throw fail("cannot write the temporary file " + tf.path);
    }
    off += static_cast<std::size_t>(n);
  }
  ::close(fd);
}

// Runs argv, returning its stdout (at most max_bytes). Throws on spawn failure, non-zero exit, timeout.
std::string run_capture(const std::vector<std::string>& argv, int timeout_seconds, std::size_t max_bytes) {
  int out_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) throw fail("cannot create a pipe");
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    throw fail("cannot start " + argv[0]);
  }
  if (pid == 0) {
    ::dup2(out_pipe[1], 1);
    int devnull = ::open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      ::dup2(devnull, 0);
      ::dup2(devnull, 2);
    }
    struct rlimit mem = {rlim_t{3} << 30, rlim_t{3} << 30};
    ::setrlimit(RLIMIT_AS, &mem);
    struct rlimit cpu = {static_cast<rlim_t>(timeout_seconds + 1), static_cast<rlim_t>(timeout_seconds + 2)};
    ::setrlimit(RLIMIT_CPU, &cpu);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  std::string out;
  bool too_big = false, timed_out = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  char buf[65536];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    struct pollfd p = {out_pipe[0], POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) break;
    if (r == 0) continue;
    ssize_t n = ::read(out_pipe[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (out.size() + static_cast<std::size_t>(n) > max_bytes) {
      too_big = true;
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(out_pipe[0]);
  if (timed_out || too_big) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) throw fail(argv[0] + " did not finish within " + std::to_string(timeout_seconds) + " s; killed");
  if (too_big) throw fail(argv[0] + " produced more output than the page size allows; killed");
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
    throw fail("cannot run " + argv[0] + " (install poppler-utils, or put pdftoppm on PATH)");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw fail(argv[0] + " failed to render the page");
  return out;
}

// Parses a binary PPM (P6) or PGM (P5) with maxval 255.
RasterImage parse_pnm(const std::string& d, std::size_t max_pixels) {
  std::size_t i = 0;
  auto skip_ws = [&] {
    while (i < d.size()) {
      if (d[i] == '#') {
        while (i < d.size() && d[i] != '\n') ++i;
      } else if (d[i] == ' ' || d[i] == '\n' || d[i] == '\r' || d[i] == '\t') {
        ++i;
      } else {
        break;
      }
    }
  };
  auto read_int = [&]() -> long {
    skip_ws();
    long v = 0;
    std::size_t start = i;
    while (i < d.size() && d[i] >= '0' && d[i] <= '9' && i - start < 9) v = v * 10 + (d[i++] - '0');
    if (i == start) throw fail("pdftoppm output is not a PPM image");
    return v;
  };
  if (d.size() < 2 || d[0] != 'P' || (d[1] != '6' && d[1] != '5')) throw fail("pdftoppm output is not a PPM image");
  RasterImage img;
  img.channels = d[1] == '6' ? 3 : 1;
  i = 2;
  img.width = read_int();
  img.height = read_int();
  const long maxval = read_int();
  if (maxval != 255) throw fail("pdftoppm output has an unsupported depth");
  if (i >= d.size()) throw fail("pdftoppm output is truncated");
  ++i;  // the single whitespace before the samples
  if (img.width < 1 || img.height < 1 ||
      static_cast<unsigned long long>(img.width) * static_cast<unsigned long long>(img.height) > max_pixels)
    throw fail("rendered page size out of range");
  const std::size_t need = static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height) * static_cast<std::size_t>(img.channels);
  if (d.size() - i < need) throw fail("pdftoppm output is truncated");
  img.pixels = d.substr(i, need);
  return img;
}

Box media_box_of(QPDFPageObjectHelper& page) {
  QPDFObjectHandle mb = page.getAttribute("/MediaBox", false);
  Box b{0, 0, 612, 792};
  if (mb.isArray() && mb.getArrayNItems() == 4) {
    double v[4];
    for (int k = 0; k < 4; ++k) {
      QPDFObjectHandle e = mb.getArrayItem(k);
      if (!e.isNumber()) return b;
      v[k] = e.getNumericValue();
    }
    b = Box{std::min(v[0], v[2]), std::min(v[1], v[3]), std::max(v[0], v[2]), std::max(v[1], v[3])};
  }
  return b;
}

std::string fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

std::string deflate(const std::string& raw) {
  Pl_Buffer buf("declass-raster-out");
  Pl_Flate fl("declass-raster-flate", &buf, Pl_Flate::a_deflate);
  fl.write(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  fl.finish();
  auto b = buf.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(b->getBuffer()), b->getSize());
}

}  // namespace

RasterImage render_page(QPDF& pdf, QPDFPageObjectHelper page, const RasterOptions& options) {
  (void)pdf;
  if (options.dpi < 9 || options.dpi > 1200) throw fail("resolution out of range (9–1200 dpi)");
  const Box mb = media_box_of(page);
  const double w_px = (mb.x1 - mb.x0) * options.dpi / 72.0, h_px = (mb.y1 - mb.y0) * options.dpi / 72.0;
  if (!(w_px >= 1 && h_px >= 1) || (w_px + 1) * (h_px + 1) > static_cast<double>(options.max_pixels))
    throw fail("page too large to rasterize at " + std::to_string(options.dpi) + " dpi");
  std::string one_page;
  try {
    QPDF q;
    q.emptyPDF();
    q.setSuppressWarnings(true);
    QPDFObjectHandle np = copy_page_allow_listed(q, page);
    np.removeKey("/CropBox");
    np.removeKey("/Rotate");
    np.removeKey("/UserUnit");
    QPDFPageDocumentHelper(q).addPage(QPDFPageObjectHelper(np), false);
    QPDFWriter w(q);
    w.setOutputMemory();
    w.setObjectStreamMode(qpdf_o_disable);
    w.write();
    auto b = w.getBufferSharedPointer();
    one_page.assign(reinterpret_cast<const char*>(b->getBuffer()), b->getSize());
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw fail(std::string("cannot copy the page for rendering: ") + e.what());
  }
  TempFile tf;
  write_temp(tf, one_page);
  const std::size_t max_bytes = options.max_pixels * 3 + 4096;
  std::string out = run_capture({options.pdftoppm, "-r", std::to_string(options.dpi), "-f", "1", "-l", "1", "-singlefile", tf.path},
                                options.timeout_seconds, max_bytes);
  return parse_pnm(out, options.max_pixels);
}

void rasterize_page(QPDF& pdf, QPDFPageObjectHelper page, const std::vector<Box>& areas, const RasterOptions& options) {
  RasterImage img = render_page(pdf, page, options);
  const Box mb = media_box_of(page);
  const Matrix ctm{mb.x1 - mb.x0, 0, 0, mb.y1 - mb.y0, mb.x0, mb.y0};
  const std::size_t ch = static_cast<std::size_t>(img.channels);
  for (const Box& a : areas) {
    PixelRect r = pixels_under(img.width, img.height, ctm, a);
    for (long y = r.row0; y < r.row1; ++y) {
      const std::size_t row = static_cast<std::size_t>(y) * static_cast<std::size_t>(img.width) * ch;
      const std::size_t from = row + static_cast<std::size_t>(r.col0) * ch, to = row + static_cast<std::size_t>(r.col1) * ch;
      if (to <= img.pixels.size() && from <= to) std::fill(img.pixels.begin() + static_cast<std::ptrdiff_t>(from),
                                                           img.pixels.begin() + static_cast<std::ptrdiff_t>(to), '\0');
    }
  }
  try {
    QPDFObjectHandle image = QPDFObjectHandle::newStream(&pdf, deflate(img.pixels));
    QPDFObjectHandle d = image.getDict();
    d.replaceKey("/Type", QPDFObjectHandle::newName("/XObject"));
    d.replaceKey("/Subtype", QPDFObjectHandle::newName("/Image"));
    d.replaceKey("/Width", QPDFObjectHandle::newInteger(img.width));
    d.replaceKey("/Height", QPDFObjectHandle::newInteger(img.height));
    d.replaceKey("/ColorSpace", QPDFObjectHandle::newName(img.channels == 3 ? "/DeviceRGB" : "/DeviceGray"));
    d.replaceKey("/BitsPerComponent", QPDFObjectHandle::newInteger(8));
    d.replaceKey("/Filter", QPDFObjectHandle::newName("/FlateDecode"));
    const std::string content = "q " + fmt(mb.x1 - mb.x0) + " 0 0 " + fmt(mb.y1 - mb.y0) + " " + fmt(mb.x0) + " " + fmt(mb.y0) +
                                " cm /DeclassRaster Do Q\n";
    QPDFObjectHandle cs = QPDFObjectHandle::newStream(&pdf, content);
    QPDFObjectHandle res = QPDFObjectHandle::newDictionary();
    QPDFObjectHandle xo = QPDFObjectHandle::newDictionary();
    xo.replaceKey("/DeclassRaster", image);
    res.replaceKey("/XObject", xo);
    QPDFObjectHandle po = page.getObjectHandle();
    QPDFObjectHandle crop = page.getAttribute("/CropBox", false);
    QPDFObjectHandle rotate = page.getAttribute("/Rotate", false);
    static const std::set<std::string> keep = {"/Type", "/Parent", "/UserUnit"};
    for (const auto& k : po.getKeys())
      if (!keep.count(k)) po.removeKey(k);
    po.replaceKey("/MediaBox", QPDFObjectHandle::parse("[" + fmt(mb.x0) + " " + fmt(mb.y0) + " " + fmt(mb.x1) + " " + fmt(mb.y1) + "]"));
    if (crop.isArray()) po.replaceKey("/CropBox", crop.isIndirect() ? crop : crop.shallowCopy());
    if (rotate.isInteger()) po.replaceKey("/Rotate", QPDFObjectHandle::newInteger(rotate.getIntValue()));
    po.replaceKey("/Resources", res);
    po.replaceKey("/Contents", cs);
  } catch (const std::exception& e) {
    throw fail(std::string("cannot rebuild the page as an image: ") + e.what());
  }
}

// Preview of a finished PDF (preview.hpp): the same pdftoppm runner, PNG output, one page.
std::string render_page_png(const std::string& pdf_bytes, int page, const PreviewOptions& options) {
  if (page < 1) throw fail("page numbers start at 1");
  TempFile tf;
  write_temp(tf, pdf_bytes);
  return run_capture({"pdftoppm", "-png", "-r", std::to_string(options.dpi), "-f", std::to_string(page), "-l",
                      std::to_string(page), "-singlefile", tf.path},
                     options.timeout_seconds, options.max_png_bytes);
}

}  // namespace declass::pdf
