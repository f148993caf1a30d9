#include "igraph_bridge.hpp"

#include <fmt/format.h>
#include <igraph/igraph.h>

namespace scgraph::igraph_bridge {

namespace {

// Installs the non-aborting handlers for the lifetime of one bridge call and restores the
// previous ones afterwards, so that callers elsewhere in the process see igraph as they left it.
class QuietErrors {
 public:
  QuietErrors()
      : error_(igraph_set_error_handler(igraph_error_handler_printignore)),
        warning_(igraph_set_warning_handler(igraph_warning_handler_ignore)) {}
  ~QuietErrors() {
    igraph_set_error_handler(error_);
    igraph_set_warning_handler(warning_);
  }
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  igraph_error_handler_t* error_;
  igraph_warning_handler_t* warning_;
};

std::string describe(const char* call, igraph_error_t code) {
  return fmt::format("igraph: {} failed: {}", call, igraph_strerror(code));
}

// Owns an initialised igraph_vector_int_t.
class IntVector {
 public:
  IntVector() = default;
  IntVector(const IntVector&) = delete;
  IntVector& operator=(const IntVector&) = delete;
  ~IntVector() {
    if (ready_) igraph_vector_int_destroy(&v_);
  }
  igraph_error_t init(igraph_integer_t size) {
    igraph_error_t rc = igraph_vector_int_init(&v_, size);
    ready_ = rc == IGRAPH_SUCCESS;
    return rc;
  }
  igraph_vector_int_t* get() { return &v_; }

 private:
  igraph_vector_int_t v_{};
  bool ready_ = false;
};

// Owns an initialised igraph_t.
class Graph {
 public:
  Graph() = default;
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;
  ~Graph() {
    if (ready_) igraph_destroy(&g_);
  }
  igraph_error_t create(const igraph_vector_int_t* edges, igraph_integer_t vertices) {
    igraph_error_t rc = igraph_create(&g_, edges, vertices, IGRAPH_DIRECTED);
    ready_ = rc == IGRAPH_SUCCESS;
    return rc;
  }
  const igraph_t* get() const { return &g_; }

 private:
  igraph_t g_{};
  bool ready_ = false;
};

}  // namespace

Connectivities st_vertex_connectivities(const DirectedEdges& graph, std::uint32_t source,
                                        std::span<const std::uint32_t> targets) {
  Connectivities out;
  QuietErrors quiet;
  IntVector edges;
  igraph_error_t rc = edges.init(static_cast<igraph_integer_t>(2 * graph.edges.size()));
  if (rc != IGRAPH_SUCCESS) {
    out.error = describe("igraph_vector_int_init", rc);
    return out;
  }
  igraph_integer_t i = 0;
  for (const auto& [from, to] : graph.edges) {
    VECTOR(*edges.get())[i++] = from;
    VECTOR(*edges.get())[i++] = to;
  }
  Graph g;
  rc = g.create(edges.get(), graph.vertices);
  if (rc != IGRAPH_SUCCESS) {
    out.error = describe("igraph_create", rc);
    return out;
  }
  out.values.reserve(targets.size());
  for (std::uint32_t target : targets) {
    if (target == source) {
      out.values.emplace_back(std::nullopt);
      continue;
    }
    igraph_integer_t result = 0;
    // NEGATIVE: adjacent source and target give -1 instead of an error.
    rc = igraph_st_vertex_connectivity(g.get(), &result, source, target, IGRAPH_VCONN_NEI_NEGATIVE);
    if (rc != IGRAPH_SUCCESS) {
      out.values.clear();
      out.error = describe("igraph_st_vertex_connectivity", rc);
      return out;
    }
    out.values.push_back(result < 0 ? std::nullopt : std::optional<std::int64_t>(result));
  }
  return out;
}

}  // namespace scgraph::igraph_bridge
