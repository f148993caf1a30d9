#include "graphviz_render.hpp"

#include <algorithm>
#include <graphviz/gvc.h>
#include <graphviz/gvplugin.h>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

extern "C" {
extern gvplugin_library_t gvplugin_dot_layout_LTX_library;
extern gvplugin_library_t gvplugin_core_LTX_library;
extern gvplugin_library_t gvplugin_pango_LTX_library;
}

namespace scgraph::out {

namespace {

// Graphviz's error callback takes no user data: while a call holds the lock, messages go to the
// string this points at.
std::string* captured_messages = nullptr;

int capture(char* message) {
  if (captured_messages && message) *captured_messages += message;
  return 0;
}

std::mutex& graphviz_lock() {
  static std::mutex lock;
  return lock;
}

// SVG uses the core renderer only: its text metrics are Graphviz's built-in tables, so the layout
// is the same on every machine. PNG and PDF need cairo (the pango plugin).
//
// Each context lives until the process ends, on purpose: Graphviz 2.42's pango plugin remembers a
// pointer to the last font name it measured, and that name belongs to the context's font table.
// Freeing the context and rendering again made the plugin compare against freed memory (found by
// AddressSanitizer). One context per kind also saves loading the plugins for every picture. The
// contexts are only touched under graphviz_lock().
GVC_t* shared_context(bool with_cairo) {
  static lt_symlist_t core[] = {{"gvplugin_dot_layout_LTX_library", &gvplugin_dot_layout_LTX_library},
                                {"gvplugin_core_LTX_library", &gvplugin_core_LTX_library},
                                {nullptr, nullptr}};
  static lt_symlist_t cairo[] = {{"gvplugin_dot_layout_LTX_library", &gvplugin_dot_layout_LTX_library},
                                 {"gvplugin_core_LTX_library", &gvplugin_core_LTX_library},
                                 {"gvplugin_pango_LTX_library", &gvplugin_pango_LTX_library},
                                 {nullptr, nullptr}};
  static GVC_t* const core_context = gvContextPlugins(core, 0);
  if (!with_cairo) return core_context;
  static GVC_t* const cairo_context = gvContextPlugins(cairo, 0);
  return cairo_context;
}

class ErrorCapture {
 public:
  explicit ErrorCapture(std::string& sink) : previous_(agseterrf(capture)) { captured_messages = &sink; }
  ~ErrorCapture() {
    captured_messages = nullptr;
    agseterrf(previous_);
  }
  ErrorCapture(const ErrorCapture&) = delete;
  ErrorCapture& operator=(const ErrorCapture&) = delete;

 private:
  agusererrf previous_;
};

// cgraph's default ID discipline uses the address of each interned name as the object's ID, and
// subgraphs are visited in ID order: clusters came out in a different order from run to run (seen
// as PDFs that differed between two identical runs). This discipline numbers names in the order
// they are first seen, so the drawing depends on the DOT text alone.
struct SequentialIds {
  std::unordered_map<std::string, IDTYPE> ids;
  std::vector<const std::string*> names;  // names[k] has ID 2k + 2; anonymous objects get odd IDs
  IDTYPE next_anonymous = 1;
};

void* ids_open(Agraph_t*, Agdisc_t*) { return new SequentialIds; }

long ids_map(void* state, int, char* str, IDTYPE* id, int create) {
  auto& s = *static_cast<SequentialIds*>(state);
  if (!str) {
    *id = s.next_anonymous;
    s.next_anonymous += 2;
    return 1;
  }
  if (auto found = s.ids.find(str); found != s.ids.end()) {
    *id = found->second;
    return 1;
  }
  if (!create) return 0;
  IDTYPE fresh = 2 * static_cast<IDTYPE>(s.names.size()) + 2;
  auto inserted = s.ids.emplace(str, fresh).first;
  s.names.push_back(&inserted->first);
  *id = fresh;
  return 1;
}

long ids_alloc(void*, int, IDTYPE) { return 0; }
void ids_free(void*, int, IDTYPE) {}

char* ids_print(void* state, int, IDTYPE id) {
  auto& s = *static_cast<SequentialIds*>(state);
  if (id % 2 != 0 || id == 0 || id / 2 - 1 >= s.names.size()) return nullptr;
  return const_cast<char*>(s.names[id / 2 - 1]->c_str());
}

void ids_close(void* state) { delete static_cast<SequentialIds*>(state); }
void ids_register(void*, int, void*) {}

Agiddisc_t sequential_id_discipline{ids_open, ids_map, ids_alloc, ids_free, ids_print, ids_close, ids_register};

// Reading DOT from memory through our own channel, because agmemread fixes the ID discipline.
struct MemoryChannel {
  const char* at;
  const char* end;
};

int memory_read(void* channel, char* buffer, int size) {
  auto& c = *static_cast<MemoryChannel*>(channel);
  auto n = std::min<std::ptrdiff_t>(size, c.end - c.at);
  std::memcpy(buffer, c.at, static_cast<std::size_t>(n));
  c.at += n;
  return static_cast<int>(n);
}

Agraph_t* read_dot(std::string_view dot) {
  static Agiodisc_t io{memory_read, AgIoDisc.putstr, AgIoDisc.flush};
  static Agdisc_t discipline{&AgMemDisc, &sequential_id_discipline, &io};
  MemoryChannel channel{dot.data(), dot.data() + dot.size()};
  return agread(&channel, &discipline);
}

}  // namespace

const std::vector<std::string>& render_formats() {
  static const std::vector<std::string> formats{"svg", "png", "pdf"};
  return formats;
}

Rendered render_dot(std::string_view dot, std::string_view format) {
  const auto& formats = render_formats();
  if (std::find(formats.begin(), formats.end(), format) == formats.end())
    throw GraphvizError("unknown output format '" + std::string(format) + "' (svg, png or pdf)");
  std::lock_guard guard(graphviz_lock());
  Rendered result;
  ErrorCapture capture_errors(result.messages);
  bool svg = format == "svg";
  GVC_t* context = shared_context(!svg);
  if (!context) throw GraphvizError("Graphviz could not start");
  Agraph_t* graph = read_dot(dot);
  if (!graph) throw GraphvizError("Graphviz could not read the DOT text: " + result.messages);
  struct GraphCloser {
    GVC_t* context;
    Agraph_t* graph;
    bool laid_out = false;
    ~GraphCloser() {
      if (laid_out) gvFreeLayout(context, graph);
      agclose(graph);
    }
  } closer{context, graph};
  if (gvLayout(context, graph, "dot") != 0) throw GraphvizError("Graphviz layout failed: " + result.messages);
  closer.laid_out = true;
  std::string device = svg ? "svg:svg:core" : std::string(format) + ":cairo";
  char* data = nullptr;
  unsigned int length = 0;
  if (gvRenderData(context, graph, device.c_str(), &data, &length) != 0 || !data) {
    if (data) gvFreeRenderData(data);
    throw GraphvizError("Graphviz could not render " + std::string(format) + ": " + result.messages);
  }
  result.data.assign(data, length);
  gvFreeRenderData(data);
  return result;
}

}  // namespace scgraph::out
