// The report viewer page (viewer/, assembled at build time by embed_viewer.cmake) and the payload
// embedded in it.
#pragma once

#include <string>
#include <string_view>

namespace winglet::html_exporter {

// The page up to, and from, the body of its <script type="application/json" id="winglet-data">.
extern const std::string_view kPageHead;
extern const std::string_view kPageTail;

// JSON text made safe inside a <script> element: every '<' becomes the JSON escape \u003c, so no
// "</script>" or "<!--" in a model's names can end the element, and the text is still the same JSON.
std::string script_safe(std::string_view json);

}  // namespace winglet::html_exporter
