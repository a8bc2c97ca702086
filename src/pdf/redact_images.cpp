// Image blanking for redaction (see redact_images.hpp): decodes an image XObject with libqpdf,
// sets every pixel touched by a redaction area to the sample value that renders black (opaque in
// the soft mask), checks every size before touching a byte, and writes a new Flate image object.
#include "pdf/redact_images.hpp"

#include <qpdf/Pipeline.hh>
#include <qpdf/Pl_Buffer.hh>
#include <qpdf/Pl_Flate.hh>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <stdexcept>

namespace declass::pdf {

namespace {

constexpr std::uint64_t k_max_pixels = 100'000'000;
constexpr std::uint64_t k_max_decoded = std::uint64_t{1} << 31;  // 2 GiB of samples at most

bool invert(const Matrix& m, Matrix& inv) {
  const double det = m[0] * m[3] - m[1] * m[2];
  if (!std::isfinite(det) || std::fabs(det) < 1e-12) return false;
  inv = {m[3] / det, -m[1] / det, -m[2] / det, m[0] / det, (m[2] * m[5] - m[3] * m[4]) / det, (m[1] * m[4] - m[0] * m[5]) / det};
  for (double v : inv)
    if (!std::isfinite(v)) return false;
  return true;
}

long clamp_to(double v, long hi) {
  if (!(v > 0)) return 0;  // also NaN
  if (v >= static_cast<double>(hi)) return hi;
  return static_cast<long>(v);
}

// Collects decoded stream data, refusing more than `limit` bytes (decompression bombs).
class BoundedCollector final : public Pipeline {
 public:
  BoundedCollector(std::uint64_t keep, std::uint64_t limit) : Pipeline("declass-image", nullptr), m_keep(keep), m_limit(limit) {}
  void write(unsigned char const* data, size_t len) override {
    m_total += len;
    if (m_total > m_limit) throw std::length_error("decoded image data is larger than its dimensions allow");
    if (m_data.size() < m_keep) {
      const std::uint64_t take = std::min<std::uint64_t>(len, m_keep - m_data.size());
      m_data.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(take));
    }
  }
  void finish() override {}
  std::string m_data;
  std::uint64_t m_total = 0;

 private:
  std::uint64_t m_keep, m_limit;
};

std::vector<std::string> filter_names(QPDFObjectHandle dict) {
  std::vector<std::string> out;
  QPDFObjectHandle f = dict.getKey("/Filter");
  if (f.isName()) {
    out.push_back(f.getName());
  } else if (f.isArray()) {
    for (int i = 0; i < f.getArrayNItems(); ++i) {
      QPDFObjectHandle e = f.getArrayItem(i);
      out.push_back(e.isName() ? e.getName() : std::string("(not a name)"));
    }
  } else if (!f.isNull()) {
    out.push_back("(not a name)");
  }
  return out;
}

bool filter_supported(const std::string& f) {
  static const std::set<std::string> ok = {"/FlateDecode", "/Fl",       "/LZWDecode",      "/LZW", "/RunLengthDecode", "/RL",
                                           "/ASCII85Decode", "/A85",    "/ASCIIHexDecode", "/AHx", "/DCTDecode",       "/DCT"};
  return ok.count(f) > 0;
}

// How one image's samples are laid out and which decoded value each component must get.
struct SampleSpec {
  long width = 0, height = 0;
  int bpc = 8;
  int ncomp = 1;
  std::vector<double> target;     // decoded value per component that renders black / opaque
  std::vector<double> decode;     // 2 per component: the effective /Decode (defaults applied)
  std::string problem;
};

double num(QPDFObjectHandle o, double dflt) {
  if (o.isInteger()) return static_cast<double>(o.getIntValue());
  if (o.isReal()) return o.getNumericValue();
  return dflt;
}

// Approximate brightness of a colour (0 = black, 1 = white) in a device-like family.
double brightness(const std::string& family, const std::vector<double>& v) {
  if (v.empty()) return 1;
  if (family == "gray" && v.size() >= 1) return v[0];
  if (family == "rgb" && v.size() >= 3) return 0.3 * v[0] + 0.59 * v[1] + 0.11 * v[2];
  if (family == "cmyk" && v.size() >= 4)
    return 0.3 * (1 - std::min(1.0, v[0] + v[3])) + 0.59 * (1 - std::min(1.0, v[1] + v[3])) + 0.11 * (1 - std::min(1.0, v[2] + v[3]));
  if (family == "lab") return v[0] / 100.0;
  double ink = 0;  // tints: more ink is darker
  for (double x : v) ink += x;
  return 1 - ink / static_cast<double>(v.size());
}

struct ColourSpace {
  std::string family;          // gray, rgb, cmyk, lab, tint, indexed
  int ncomp = 0;
  std::vector<double> black;   // decoded values rendering black
  std::vector<double> range;   // default /Decode (2 per component), before the bpc-dependent Indexed case
  std::string problem;
};

ColourSpace device(const std::string& family, int n) {
  ColourSpace cs;
  cs.family = family;
  cs.ncomp = n;
  for (int i = 0; i < n; ++i) {
    cs.range.push_back(0);
    cs.range.push_back(1);
  }
  if (family == "gray" || family == "rgb") cs.black.assign(static_cast<std::size_t>(n), 0.0);
  if (family == "cmyk") cs.black = {0, 0, 0, 1};
  if (family == "tint") cs.black.assign(static_cast<std::size_t>(n), 1.0);
  return cs;
}

ColourSpace resolve_colour_space(QPDFObjectHandle cs, int bpc, int depth);

ColourSpace resolve_name(const std::string& n) {
  if (n == "/DeviceGray" || n == "/G" || n == "/CalGray") return device("gray", 1);
  if (n == "/DeviceRGB" || n == "/RGB" || n == "/CalRGB") return device("rgb", 3);
  if (n == "/DeviceCMYK" || n == "/CMYK") return device("cmyk", 4);
  ColourSpace bad;
  bad.problem = "colour space " + n + " is not supported for image blanking";
  return bad;
}

ColourSpace resolve_indexed(QPDFObjectHandle cs, int bpc, int depth) {
  ColourSpace bad;
  if (cs.getArrayNItems() < 4) {
    bad.problem = "malformed /Indexed colour space";
    return bad;
  }
  ColourSpace base = resolve_colour_space(cs.getArrayItem(1), 8, depth + 1);
  if (!base.problem.empty() || base.family == "indexed") {
    bad.problem = base.problem.empty() ? "nested /Indexed colour space" : base.problem;
    return bad;
  }
  QPDFObjectHandle hival_o = cs.getArrayItem(2);
  if (!hival_o.isInteger() || hival_o.getIntValue() < 0 || hival_o.getIntValue() > 255) {
    bad.problem = "/Indexed hival out of range";
    return bad;
  }
  const long hival = static_cast<long>(hival_o.getIntValue());
  QPDFObjectHandle lookup_o = cs.getArrayItem(3);
  std::string lookup;
  try {
    if (lookup_o.isString()) {
      lookup = lookup_o.getStringValue();
    } else if (lookup_o.isStream()) {
      BoundedCollector col(256 * 32, 1u << 20);
      bool attempted = false;
      if (!lookup_o.pipeStreamData(&col, &attempted, 0, qpdf_dl_all, true, false)) throw std::runtime_error("lookup");
      lookup = col.m_data;
    }
  } catch (const std::exception&) {
    bad.problem = "/Indexed lookup table cannot be read";
    return bad;
  }
  const std::size_t nb = static_cast<std::size_t>(base.ncomp);
  long best = -1;
  double best_b = 2;
  for (long i = 0; i <= hival; ++i) {
    const std::size_t off = static_cast<std::size_t>(i) * nb;
    if (nb == 0 || off + nb > lookup.size()) break;
    std::vector<double> v(nb);
    for (std::size_t c = 0; c < nb; ++c) {
      const double lo = base.range[2 * c], hi = base.range[2 * c + 1];
      v[c] = lo + (hi - lo) * static_cast<unsigned char>(lookup[off + c]) / 255.0;
    }
    const double b = brightness(base.family, v);
    if (b < best_b) {
      best_b = b;
      best = i;
    }
  }
  if (best < 0) {
    bad.problem = "/Indexed lookup table is empty or too short";
    return bad;
  }
  ColourSpace out;
  out.family = "indexed";
  out.ncomp = 1;
  out.black = {static_cast<double>(best)};
  out.range = {0, static_cast<double>((1L << std::min(bpc, 16)) - 1)};
  return out;
}

ColourSpace resolve_colour_space(QPDFObjectHandle cs, int bpc, int depth) {
  ColourSpace bad;
  if (depth > 4) {
    bad.problem = "colour space nested too deeply";
    return bad;
  }
  if (cs.isName()) return resolve_name(cs.getName());
  if (!cs.isArray() || cs.getArrayNItems() < 1 || !cs.getArrayItem(0).isName()) {
    bad.problem = cs.isNull() ? "image has no /ColorSpace" : "malformed /ColorSpace";
    return bad;
  }
  const std::string fam = cs.getArrayItem(0).getName();
  if (fam == "/Indexed" || fam == "/I") return resolve_indexed(cs, bpc, depth);
  if (fam == "/CalGray" || fam == "/CalRGB" || fam == "/DeviceGray" || fam == "/DeviceRGB" || fam == "/DeviceCMYK")
    return resolve_name(fam);
  if (fam == "/Lab") {
    ColourSpace lab;
    lab.family = "lab";
    lab.ncomp = 3;
    lab.black = {0, 0, 0};
    double r[4] = {-100, 100, -100, 100};
    if (cs.getArrayNItems() >= 2 && cs.getArrayItem(1).isDictionary()) {
      QPDFObjectHandle range = cs.getArrayItem(1).getKey("/Range");
      if (range.isArray() && range.getArrayNItems() == 4)
        for (int i = 0; i < 4; ++i) r[i] = num(range.getArrayItem(i), r[i]);
    }
    lab.range = {0, 100, r[0], r[1], r[2], r[3]};
    return lab;
  }
  if (fam == "/ICCBased") {
    QPDFObjectHandle s = cs.getArrayNItems() >= 2 ? cs.getArrayItem(1) : QPDFObjectHandle::newNull();
    QPDFObjectHandle n = s.isStream() ? s.getDict().getKey("/N") : QPDFObjectHandle::newNull();
    if (!n.isInteger()) {
      bad.problem = "/ICCBased colour space without /N";
      return bad;
    }
    const long long nn = n.getIntValue();
    if (nn == 1) return device("gray", 1);
    if (nn == 3) return device("rgb", 3);
    if (nn == 4) return device("cmyk", 4);
    bad.problem = "/ICCBased colour space with unsupported /N";
    return bad;
  }
  if (fam == "/Separation") return device("tint", 1);
  if (fam == "/DeviceN") {
    QPDFObjectHandle names = cs.getArrayNItems() >= 2 ? cs.getArrayItem(1) : QPDFObjectHandle::newNull();
    if (!names.isArray() || names.getArrayNItems() < 1 || names.getArrayNItems() > 32) {
      bad.problem = "malformed /DeviceN colour space";
      return bad;
    }
    return device("tint", names.getArrayNItems());
  }
  bad.problem = "colour space " + fam + " is not supported for image blanking";
  return bad;
}

enum class Role { image, soft_mask, stencil_mask };

// Reads /Width /Height /BitsPerComponent /ColorSpace /ImageMask /Decode and decides the target values.
SampleSpec sample_spec(QPDFObjectHandle dict, Role role) {
  SampleSpec s;
  QPDFObjectHandle w = dict.getKey("/Width"), h = dict.getKey("/Height");
  if (!w.isInteger() || !h.isInteger() || w.getIntValue() < 1 || h.getIntValue() < 1 ||
      w.getIntValue() > static_cast<long long>(k_max_pixels) || h.getIntValue() > static_cast<long long>(k_max_pixels)) {
    s.problem = "image /Width or /Height missing or out of range";
    return s;
  }
  s.width = static_cast<long>(w.getIntValue());
  s.height = static_cast<long>(h.getIntValue());
  if (static_cast<std::uint64_t>(s.width) * static_cast<std::uint64_t>(s.height) > k_max_pixels) {
    s.problem = "image larger than 1e8 pixels";
    return s;
  }
  QPDFObjectHandle im = dict.getKey("/ImageMask");
  const bool image_mask = role == Role::stencil_mask || (im.isBool() && im.getBoolValue());
  QPDFObjectHandle bpc = dict.getKey("/BitsPerComponent");
  if (image_mask) {
    if (!bpc.isNull() && !(bpc.isInteger() && bpc.getIntValue() == 1)) {
      s.problem = "image mask with /BitsPerComponent other than 1";
      return s;
    }
    s.bpc = 1;
  } else {
    if (!bpc.isInteger()) {
      s.problem = "image without /BitsPerComponent";
      return s;
    }
    const long long b = bpc.getIntValue();
    if (b != 1 && b != 2 && b != 4 && b != 8 && b != 16) {
      s.problem = "unsupported /BitsPerComponent";
      return s;
    }
    s.bpc = static_cast<int>(b);
  }
  ColourSpace cs;
  if (image_mask) {
    cs = device("gray", 1);
    cs.black = {0};  // decoded 0 = painted (stencil) / unmasked (explicit /Mask): opaque
  } else if (role == Role::soft_mask) {
    cs = device("gray", 1);
    cs.black = {1};  // fully opaque
  } else {
    cs = resolve_colour_space(dict.getKey("/ColorSpace"), s.bpc, 0);
    if (!cs.problem.empty()) {
      s.problem = cs.problem;
      return s;
    }
  }
  s.ncomp = cs.ncomp;
  s.target = cs.black;
  s.decode = cs.range;
  QPDFObjectHandle d = dict.getKey("/Decode");
  if (d.isArray() && d.getArrayNItems() == 2 * s.ncomp) {
    for (int i = 0; i < 2 * s.ncomp; ++i) s.decode[static_cast<std::size_t>(i)] = num(d.getArrayItem(i), s.decode[static_cast<std::size_t>(i)]);
  }
  if (s.ncomp < 1 || s.target.size() != static_cast<std::size_t>(s.ncomp) || s.decode.size() != 2 * s.target.size())
    s.problem = "inconsistent colour space";
  return s;
}

std::uint64_t row_bytes(const SampleSpec& s) {
  return (static_cast<std::uint64_t>(s.width) * static_cast<std::uint64_t>(s.ncomp) * static_cast<std::uint64_t>(s.bpc) + 7) / 8;
}

// Sample value (0 .. 2^bpc-1) whose decoded value is closest to `target`.
std::uint32_t encoded_sample(double target, double dmin, double dmax, int bpc) {
  const double maxv = static_cast<double>((1u << bpc) - 1);
  if (!(std::fabs(dmax - dmin) > 1e-12) || !std::isfinite(dmax - dmin)) return 0;
  double s = std::round((target - dmin) * maxv / (dmax - dmin));
  if (!(s > 0)) s = 0;
  if (s > maxv) s = maxv;
  return static_cast<std::uint32_t>(s);
}

std::vector<PixelRect> rects_for(long w, long h, const Matrix& ctm, const std::vector<Box>& areas) {
  std::vector<PixelRect> out;
  for (const Box& a : areas) {
    PixelRect r = pixels_under(w, h, ctm, a);
    if (!r.empty()) out.push_back(r);
  }
  return out;
}

bool covers_all(long w, long h, const std::vector<PixelRect>& rects) {
  // Rows grouped by the rectangles' row boundaries; within a band the column intervals must cover [0,w).
  std::vector<long> cuts = {0, h};
  for (const auto& r : rects) {
    cuts.push_back(r.row0);
    cuts.push_back(r.row1);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    const long row = cuts[i];
    if (row >= h) break;
    std::vector<std::pair<long, long>> iv;
    for (const auto& r : rects)
      if (r.row0 <= row && row < r.row1) iv.emplace_back(r.col0, r.col1);
    std::sort(iv.begin(), iv.end());
    long reach = 0;
    for (const auto& [a, b] : iv) {
      if (a > reach) break;
      reach = std::max(reach, b);
    }
    if (reach < w) return false;
  }
  return true;
}

struct StreamBlank {
  bool ok = false;
  std::string reason;
  std::string pixels;   // the blanked, decoded samples (exact expected length)
  std::size_t blanked = 0;
};

StreamBlank blank_stream(QPDFObjectHandle stream, Role role, const Matrix& ctm, const std::vector<Box>& areas) {
  StreamBlank out;
  if (!stream.isStream()) {
    out.reason = "not a stream";
    return out;
  }
  QPDFObjectHandle dict = stream.getDict();
  SampleSpec spec = sample_spec(dict, role);
  if (!spec.problem.empty()) {
    out.reason = spec.problem;
    return out;
  }
  for (const auto& f : filter_names(dict)) {
    if (!filter_supported(f)) {
      out.reason = "image filter " + f + " cannot be decoded";
      return out;
    }
    if ((f == "/DCTDecode" || f == "/DCT") && spec.bpc != 8) {
      out.reason = "DCT image with /BitsPerComponent other than 8";
      return out;
    }
  }
  if (!dict.getKey("/F").isNull()) {
    out.reason = "image data in an external file";
    return out;
  }
  const std::uint64_t stride = row_bytes(spec);
  const std::uint64_t expected = stride * static_cast<std::uint64_t>(spec.height);
  if (expected == 0 || expected > k_max_decoded) {
    out.reason = "image data size out of range";
    return out;
  }
  BoundedCollector col(expected, expected + (std::uint64_t{1} << 20));
  try {
    bool attempted = false;
    const bool ok = stream.pipeStreamData(&col, &attempted, 0, qpdf_dl_all, true, false);
    if (!ok || (!filter_names(dict).empty() && !attempted)) {
      out.reason = "image data cannot be decoded (damaged stream)";
      return out;
    }
  } catch (const std::exception& e) {
    out.reason = std::string("image data cannot be decoded: ") + e.what();
    return out;
  }
  if (col.m_data.size() != expected) {
    out.reason = "decoded image data is shorter than its dimensions require";
    return out;
  }
  std::string& px = col.m_data;
  std::vector<std::uint32_t> value(static_cast<std::size_t>(spec.ncomp));
  for (int c = 0; c < spec.ncomp; ++c) {
    const auto ci = static_cast<std::size_t>(c);
    value[ci] = encoded_sample(spec.target[ci], spec.decode[2 * ci], spec.decode[2 * ci + 1], spec.bpc);
  }
  std::size_t count = 0;
  for (const PixelRect& r : rects_for(spec.width, spec.height, ctm, areas)) {
    for (long row = r.row0; row < r.row1; ++row) {
      const std::uint64_t row_off = static_cast<std::uint64_t>(row) * stride;
      for (long col_i = r.col0; col_i < r.col1; ++col_i) {
        ++count;
        for (int c = 0; c < spec.ncomp; ++c) {
          const std::uint32_t v = value[static_cast<std::size_t>(c)];
          const std::uint64_t sample = static_cast<std::uint64_t>(col_i) * static_cast<std::uint64_t>(spec.ncomp) + static_cast<std::uint64_t>(c);
          if (spec.bpc == 8) {
            const std::uint64_t at = row_off + sample;
            if (at < px.size()) px[static_cast<std::size_t>(at)] = static_cast<char>(v);
          } else if (spec.bpc == 16) {
            const std::uint64_t at = row_off + sample * 2;
            if (at + 1 < px.size()) {
              px[static_cast<std::size_t>(at)] = static_cast<char>(v >> 8);
              px[static_cast<std::size_t>(at + 1)] = static_cast<char>(v & 0xFF);
            }
          } else {
            const std::uint64_t bit = sample * static_cast<std::uint64_t>(spec.bpc);
            const std::uint64_t at = row_off + bit / 8;
            if (at >= px.size()) continue;
            const unsigned shift = static_cast<unsigned>(8 - spec.bpc - static_cast<int>(bit % 8));
            const unsigned mask = ((1u << spec.bpc) - 1u) << shift;
            auto byte = static_cast<unsigned char>(px[static_cast<std::size_t>(at)]);
            byte = static_cast<unsigned char>((byte & ~mask) | ((v << shift) & mask));
            px[static_cast<std::size_t>(at)] = static_cast<char>(byte);
          }
        }
      }
    }
  }
  out.ok = true;
  out.blanked = count;
  out.pixels = std::move(px);
  return out;
}

std::string flate(const std::string& raw) {
  Pl_Buffer buf("declass-image-out");
  Pl_Flate fl("declass-flate", &buf, Pl_Flate::a_deflate);
  fl.write(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  fl.finish();
  auto b = buf.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(b->getBuffer()), b->getSize());
}

QPDFObjectHandle copy_value(QPDFObjectHandle v) { return v.isIndirect() ? v : v.shallowCopy(); }

// New Flate image stream holding `pixels`, with the rendering keys of `src` (masks set by the caller).
QPDFObjectHandle new_image(QPDF& pdf, QPDFObjectHandle src, const std::string& pixels, Role role) {
  QPDFObjectHandle s = QPDFObjectHandle::newStream(&pdf, flate(pixels));
  QPDFObjectHandle d = s.getDict();
  QPDFObjectHandle sd = src.getDict();
  d.replaceKey("/Type", QPDFObjectHandle::newName("/XObject"));
  d.replaceKey("/Subtype", QPDFObjectHandle::newName("/Image"));
  d.replaceKey("/Width", sd.getKey("/Width"));
  d.replaceKey("/Height", sd.getKey("/Height"));
  const bool stencil = role == Role::stencil_mask || (sd.getKey("/ImageMask").isBool() && sd.getKey("/ImageMask").getBoolValue());
  if (stencil) {
    d.replaceKey("/ImageMask", QPDFObjectHandle::newBool(true));
    d.replaceKey("/BitsPerComponent", QPDFObjectHandle::newInteger(1));
  } else {
    d.replaceKey("/BitsPerComponent", sd.getKey("/BitsPerComponent"));
    if (role == Role::soft_mask)
      d.replaceKey("/ColorSpace", QPDFObjectHandle::newName("/DeviceGray"));
    else
      d.replaceKey("/ColorSpace", copy_value(sd.getKey("/ColorSpace")));
  }
  if (sd.getKey("/Decode").isArray()) d.replaceKey("/Decode", copy_value(sd.getKey("/Decode")));
  if (sd.getKey("/Interpolate").isBool()) d.replaceKey("/Interpolate", sd.getKey("/Interpolate"));
  if (role == Role::soft_mask && sd.getKey("/Matte").isArray()) d.replaceKey("/Matte", copy_value(sd.getKey("/Matte")));
  d.replaceKey("/Filter", QPDFObjectHandle::newName("/FlateDecode"));
  return s;
}

}  // namespace

PixelRect pixels_under(long width, long height, const Matrix& ctm, const Box& area) {
  PixelRect r;
  if (width <= 0 || height <= 0 || area.empty()) return r;
  Matrix inv;
  if (!invert(ctm, inv)) return r;
  const double xs[2] = {area.x0, area.x1}, ys[2] = {area.y0, area.y1};
  double umin = std::numeric_limits<double>::infinity(), umax = -umin, vmin = umin, vmax = -umin;
  for (double x : xs)
    for (double y : ys) {
      const double u = inv[0] * x + inv[2] * y + inv[4];
      const double v = inv[1] * x + inv[3] * y + inv[5];
      if (!std::isfinite(u) || !std::isfinite(v)) {  // conservative: the whole image
        r.col1 = width;
        r.row1 = height;
        return r;
      }
      umin = std::min(umin, u);
      umax = std::max(umax, u);
      vmin = std::min(vmin, v);
      vmax = std::max(vmax, v);
    }
  if (umax <= 0 || umin >= 1 || vmax <= 0 || vmin >= 1) return r;
  const double w = static_cast<double>(width), h = static_cast<double>(height);
  r.col0 = clamp_to(std::floor(umin * w), width);
  r.col1 = clamp_to(std::ceil(umax * w), width);
  r.row0 = clamp_to(std::floor((1 - vmax) * h), height);
  r.row1 = clamp_to(std::ceil((1 - vmin) * h), height);
  if (r.empty()) r = PixelRect{};
  return r;
}

ImageBlankResult blank_image_under(QPDF& pdf, QPDFObjectHandle image, const Matrix& ctm, const std::vector<Box>& areas) {
  ImageBlankResult res;
  try {
    if (!image.isStream()) {
      res.status = ImageBlankResult::Status::unsupported;
      res.reason = "image XObject is not a stream";
      return res;
    }
    QPDFObjectHandle dict = image.getDict();
    // Page-space footprint first: an image away from every area stays untouched even if undecodable.
    Box footprint{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
                  -std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
    for (double u : {0.0, 1.0})
      for (double v : {0.0, 1.0}) {
        const double x = ctm[0] * u + ctm[2] * v + ctm[4], y = ctm[1] * u + ctm[3] * v + ctm[5];
        footprint = Box{std::min(footprint.x0, x), std::min(footprint.y0, y), std::max(footprint.x1, x), std::max(footprint.y1, y)};
      }
    bool near = false;
    for (const Box& a : areas)
      near = near || (!a.empty() && !(a.x1 < footprint.x0 || footprint.x1 < a.x0 || a.y1 < footprint.y0 || footprint.y1 < a.y0));
    if (!near && std::isfinite(footprint.x0 + footprint.x1 + footprint.y0 + footprint.y1)) return res;
    Matrix inv;
    if (!invert(ctm, inv)) {
      res.status = ImageBlankResult::Status::fully_covered;
      res.reason = "degenerate image matrix (the image is not visible)";
      return res;
    }
    QPDFObjectHandle w = dict.getKey("/Width"), h = dict.getKey("/Height");
    if (!w.isInteger() || !h.isInteger() || w.getIntValue() < 1 || h.getIntValue() < 1 ||
        w.getIntValue() > static_cast<long long>(k_max_pixels) || h.getIntValue() > static_cast<long long>(k_max_pixels) ||
        static_cast<std::uint64_t>(w.getIntValue()) * static_cast<std::uint64_t>(h.getIntValue()) > k_max_pixels) {
      res.status = ImageBlankResult::Status::unsupported;
      res.reason = "image /Width or /Height missing or out of range (at most 1e8 pixels)";
      return res;
    }
    const long width = static_cast<long>(w.getIntValue()), height = static_cast<long>(h.getIntValue());
    const std::vector<PixelRect> rects = rects_for(width, height, ctm, areas);
    if (rects.empty()) return res;
    if (covers_all(width, height, rects)) {
      res.status = ImageBlankResult::Status::fully_covered;
      res.reason = "every pixel lies under a redaction area";
      return res;
    }
    StreamBlank main = blank_stream(image, Role::image, ctm, areas);
    if (!main.ok) {
      res.status = ImageBlankResult::Status::unsupported;
      res.reason = main.reason;
      return res;
    }
    QPDFObjectHandle out = new_image(pdf, image, main.pixels, Role::image);
    QPDFObjectHandle smask = dict.getKey("/SMask");
    if (smask.isStream()) {
      StreamBlank sb = blank_stream(smask, Role::soft_mask, ctm, areas);
      if (!sb.ok) {
        res.status = ImageBlankResult::Status::unsupported;
        res.reason = "soft mask: " + sb.reason;
        return res;
      }
      out.getDict().replaceKey("/SMask", new_image(pdf, smask, sb.pixels, Role::soft_mask));
    } else if (!smask.isNull() && !(smask.isName() && smask.getName() == "/None")) {
      res.status = ImageBlankResult::Status::unsupported;
      res.reason = "malformed /SMask";
      return res;
    }
    QPDFObjectHandle mask = dict.getKey("/Mask");
    if (mask.isStream()) {
      StreamBlank mb = blank_stream(mask, Role::stencil_mask, ctm, areas);
      if (!mb.ok) {
        res.status = ImageBlankResult::Status::unsupported;
        res.reason = "mask: " + mb.reason;
        return res;
      }
      out.getDict().replaceKey("/Mask", new_image(pdf, mask, mb.pixels, Role::stencil_mask));
    } else if (mask.isArray()) {
      out.getDict().replaceKey("/Mask", copy_value(mask));  // colour key: blanked pixels may become transparent
    }
    res.status = ImageBlankResult::Status::blanked;
    res.replacement = out;
    res.pixels_blanked = main.blanked;
    return res;
  } catch (const std::exception& e) {
    res.status = ImageBlankResult::Status::unsupported;
    res.reason = std::string("image cannot be processed: ") + e.what();
    res.replacement = QPDFObjectHandle();
    return res;
  }
}

}  // namespace declass::pdf
