// Paths of the TrueType fonts the writer embeds as subsets (Debian package fonts-dejavu-core).
// Internal to src/pdf.
#pragma once

namespace declass::pdf {
inline constexpr const char* k_font_mono = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
inline constexpr const char* k_font_sans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
inline constexpr const char* k_font_sans_bold = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
}  // namespace declass::pdf
