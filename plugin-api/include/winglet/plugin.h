/*
 * winglet plugin ABI — the C boundary between the winglet engine (host) and its plugins.
 *
 * Rules that keep this ABI stable (see plugin-api/README.md for the reasoning):
 *  - Only fixed-width integers, doubles, NUL-terminated UTF-8 strings, opaque handles and structs.
 *  - Every struct starts with `uint32_t struct_size` and only ever grows at the end. A reader
 *    must check struct_size before touching a field added after ABI 1.0 (WG_HAS_FIELD).
 *  - Nothing crosses the boundary as an exception: every fallible call returns wg_status and
 *    reports its message through wg_host_api::set_error; the host copies the message.
 *  - The host owns graphs, weights and reports. Plugins receive borrowed, read-only views valid
 *    for the duration of the call they were passed to, unless a comment says otherwise.
 *  - ABI versioning: major changes break compatibility (the host refuses a different major);
 *    minor versions only append. The host refuses a plugin whose minor is newer than its own.
 *
 * "Since 1.0" marks when a declaration appeared. This file compiles as C99 and as C++.
 */
#ifndef WINGLET_PLUGIN_H
#define WINGLET_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#define WG_ABI_MAJOR 1
#define WG_ABI_MINOR 4

/* The one symbol every plugin library exports (since 1.0). */
#define WG_ENTRY_SYMBOL "winglet_plugin_entry"

#if defined(_WIN32)
#define WG_EXPORT __declspec(dllexport)
#else
#define WG_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* True when a struct whose first member is struct_size contains `field` (since 1.0). */
#define WG_HAS_FIELD(ptr, type, field) \
    ((ptr) != NULL && (ptr)->struct_size >= offsetof(type, field) + sizeof(((type*)0)->field))

/* ---- Status codes (since 1.0) ---------------------------------------------------------------- */
typedef int32_t wg_status;
#define WG_OK 0
#define WG_ERR_INVALID_ARGUMENT 1 /* the caller passed something malformed */
#define WG_ERR_UNSUPPORTED 2      /* valid request the plugin cannot serve */
#define WG_ERR_IO 3               /* reading or writing failed */
#define WG_ERR_FORMAT 4           /* input file is malformed */
#define WG_ERR_INTERNAL 5         /* a bug or an unexpected exception inside the plugin */
#define WG_ERR_OUT_OF_MEMORY 6

/* ---- Plugin kinds (since 1.0) ------------------------------------------------------------------ */
typedef uint32_t wg_plugin_kind;
#define WG_KIND_IMPORTER 1  /* reads a model file into the engine's graph (vtable: wg_importer_vtable) */
#define WG_KIND_TARGET 2    /* compiles a graph for a device (vtable: wg_target_vtable, since 1.1) */
#define WG_KIND_OPTIMIZER 3 /* compresses weights (vtable: wg_optimizer_vtable, since 1.2) */
#define WG_KIND_EXPORTER 4  /* writes results (vtable: wg_exporter_vtable) */

/* ---- Element types: ONNX TensorProto.DataType numbering, so ONNX values pass unchanged (1.0) -- */
typedef uint32_t wg_dtype;
#define WG_DTYPE_UNDEFINED 0
#define WG_DTYPE_FLOAT32 1
#define WG_DTYPE_UINT8 2
#define WG_DTYPE_INT8 3
#define WG_DTYPE_UINT16 4
#define WG_DTYPE_INT16 5
#define WG_DTYPE_INT32 6
#define WG_DTYPE_INT64 7
#define WG_DTYPE_STRING 8
#define WG_DTYPE_BOOL 9
#define WG_DTYPE_FLOAT16 10
#define WG_DTYPE_FLOAT64 11
#define WG_DTYPE_UINT32 12
#define WG_DTYPE_UINT64 13
#define WG_DTYPE_COMPLEX64 14
#define WG_DTYPE_COMPLEX128 15
#define WG_DTYPE_BFLOAT16 16
#define WG_DTYPE_FLOAT8E4M3FN 17
#define WG_DTYPE_FLOAT8E4M3FNUZ 18
#define WG_DTYPE_FLOAT8E5M2 19
#define WG_DTYPE_FLOAT8E5M2FNUZ 20
#define WG_DTYPE_UINT4 21
#define WG_DTYPE_INT4 22

/* ---- Log levels (since 1.0) -------------------------------------------------------------------- */
typedef uint32_t wg_log_level;
#define WG_LOG_DEBUG 1
#define WG_LOG_INFO 2
#define WG_LOG_WARN 3
#define WG_LOG_ERROR 4

/* ---- Opaque host handles (since 1.0); never dereferenced by plugins --------------------------- */
typedef struct wg_error wg_error;                 /* where a failing call puts its message */
typedef struct wg_graph_builder wg_graph_builder; /* a graph under construction (importers) */
typedef struct wg_sink wg_sink;                   /* a byte stream the host writes out (exporters) */
typedef struct wg_plan_builder wg_plan_builder;   /* a compiled plan under construction (targets, 1.1) */
typedef struct wg_compress_result wg_compress_result; /* where an optimizer puts one tensor's result (1.2) */

/* ---- Shapes (since 1.0) ------------------------------------------------------------------------ */
/* One dimension: value >= 0 when known; value < 0 when unknown, then `symbol` may name it
 * (e.g. "batch"); symbol is NULL or "" for an anonymous unknown dim. */
typedef struct wg_dim {
    int64_t value;
    const char* symbol;
} wg_dim;

/* rank == UINT32_MAX means the rank itself is unknown (dims is then NULL). */
#define WG_RANK_UNKNOWN UINT32_MAX
typedef struct wg_tensor_type {
    uint32_t struct_size;
    wg_dtype dtype;
    uint32_t rank;
    const wg_dim* dims;
} wg_tensor_type;

/* ---- Importer input (since 1.0) ---------------------------------------------------------------- */
typedef struct wg_import_request {
    uint32_t struct_size;
    const char* path;        /* the model file as the user named it */
    const uint8_t* data;     /* the whole file, memory-mapped by the host; valid during import */
    uint64_t size;
    uint64_t dim_override_count; /* --dim NAME=VALUE pairs to apply before shape inference */
    const char* const* dim_override_names;
    const int64_t* dim_override_values;
    /* Since 1.4: --input NAME=DIMS, shapes that replace the stored shapes of the main graph's
       inputs (whatever their dims: symbolic, anonymous or 0) before shape inference. Entry i has
       rank input_shape_ranks[i] and dims input_shape_dims[i] (all >= 0). A name the model does
       not have as an input may be ignored: the host reports it. */
    uint64_t input_shape_count;
    const char* const* input_shape_names;
    const uint32_t* input_shape_ranks;
    const int64_t* const* input_shape_dims;
} wg_import_request;

/* Model-level facts an importer reports (since 1.0). */
typedef struct wg_model_meta {
    uint32_t struct_size;
    const char* format;         /* "onnx" */
    int64_t ir_version;
    const char* producer_name;
    const char* producer_version;
    const char* graph_name;
    uint64_t opset_count;       /* opset imports: domain ("" is the default ONNX domain) + version */
    const char* const* opset_domains;
    const int64_t* opset_versions;
} wg_model_meta;

/* A node as an importer declares it (since 1.0). Absent optional inputs are "" (ONNX convention). */
typedef struct wg_node_desc {
    uint32_t struct_size;
    const char* name;
    const char* op_type;
    const char* domain;
    uint64_t input_count;
    const char* const* inputs;
    uint64_t output_count;
    const char* const* outputs;
} wg_node_desc;

/* Attribute types: ONNX AttributeProto.AttributeType numbering (since 1.0). */
typedef uint32_t wg_attr_type;
#define WG_ATTR_FLOAT 1
#define WG_ATTR_INT 2
#define WG_ATTR_STRING 3
#define WG_ATTR_TENSOR 4
#define WG_ATTR_GRAPH 5 /* declared with begin_subgraph, not set_attribute */
#define WG_ATTR_FLOATS 6
#define WG_ATTR_INTS 7
#define WG_ATTR_STRINGS 8

/* How a block of tensor bytes is handed to the host (since 1.0). */
typedef uint32_t wg_data_mode;
#define WG_DATA_COPY 0   /* the host copies the bytes before the call returns */
#define WG_DATA_BORROW 1 /* the bytes lie inside a region the host mapped for this import
                            (request->data or a map_related_file result); the host keeps a
                            reference instead of copying. Refused for any other pointer. */

typedef struct wg_tensor_data {
    uint32_t struct_size;
    wg_tensor_type type;  /* must have a known rank and only known dims */
    const void* data;     /* little-endian element bytes, densely packed (sub-byte types packed
                             two per byte, low nibble first); NULL when byte_size is 0 */
    uint64_t byte_size;
    wg_data_mode mode;
} wg_tensor_data;

typedef struct wg_attr_desc {
    uint32_t struct_size;
    const char* name;
    wg_attr_type type;
    double f;                 /* FLOAT */
    int64_t i;                /* INT */
    const char* s;            /* STRING: bytes, s_size long (may contain NULs) */
    uint64_t s_size;
    uint64_t count;           /* FLOATS, INTS, STRINGS: element count */
    const double* floats;
    const int64_t* ints;
    const char* const* strings; /* NUL-terminated */
    const wg_tensor_data* tensor; /* TENSOR */
} wg_attr_desc;

/* ---- Reports given to exporters (since 1.0) ------------------------------------------------------ */
typedef struct wg_shape_view {
    uint32_t rank; /* WG_RANK_UNKNOWN when unknown */
    const wg_dim* dims;
} wg_shape_view;

/* Flags on an op record. */
#define WG_OP_HAS_COST_RULE 1u /* a cost rule matched; otherwise cost fields are 0 and unknown */
#define WG_OP_IN_SUBGRAPH 2u   /* the op lives inside an If/Loop/Scan body */
#define WG_OP_ASSUMED_DIMS 4u  /* some unknown dims were taken as 1 to cost this op */

typedef struct wg_op_record {
    uint32_t struct_size;
    uint32_t flags;
    const char* name;
    const char* op_type;
    const char* domain;
    const char* scope;     /* name-scope path, "/" separated; "" at the top */
    const char* cost_rule; /* rule used, or "none" */
    uint64_t output_count;
    const char* const* output_names;
    const wg_shape_view* output_shapes;
    uint64_t macs;
    uint64_t flops;
    uint64_t params;       /* weight elements first read by this op (shared weights counted once) */
    uint64_t weight_bytes;
    uint64_t input_bytes;  /* activation bytes read */
    uint64_t output_bytes; /* activation bytes written */
    double multiplier;     /* how many times the op runs per inference (Loop bodies), usually 1 */
    /* Since 1.1: filled when the report comes from `compile` (wg_report::plan != NULL). */
    const char* unit;            /* compute unit the op runs on */
    const char* fallback_reason; /* why it is not on the preferred unit; "" when it is */
    int64_t group;               /* fused group id; -1 when not fused */
    double start_us;             /* start on the simulated timeline */
    double latency_us;           /* of one execution; a fused group's latency is on its first op */
    double energy_uj;
    uint64_t memory_traffic_bytes;
    uint32_t bound;              /* WG_BOUND_* */
    /* Since 1.2: derived by the host from the timeline of any target. */
    int64_t arena_offset;        /* of its first activation output in its unit's arena; -1: none */
    uint32_t critical;           /* 1 when on the critical path (the chain that sets the latency) */
    /* Since 1.2: what a compression recipe did to the op's weight; NULL when nothing. */
    const struct wg_op_compression* compression;
    /* Since 1.3: the activation tensors the op reads (weights excluded), so a reader can draw the
       graph: an edge runs from the op whose output_names holds the name. */
    uint64_t input_count;
    const char* const* input_names;
    /* Since 1.4: for an op inside an If branch, whether the totals count it: "taken" (the
       condition evaluated and picked its branch), "not taken", "counted" (the condition is not
       known; the costlier branch is counted) or "not counted"; "" outside If branches. */
    const char* branch;
    /* Since 1.4, with a plan: how its figures were obtained (WG_SOURCE_*), the runtime kernel that
       ran it ("" when none) and, when measured, the spread of latency_us over the timed runs. */
    uint32_t source;
    const char* kernel;
    double latency_min_us;
    double latency_max_us;
} wg_op_record;

/* The compression of one op's weight and the error it carries, measured by the host (since 1.2). */
typedef struct wg_op_compression {
    uint32_t struct_size;
    const char* tensor;          /* the weight's name */
    const char* technique;       /* "quantize", "palettize", "prune" */
    const char* options;         /* "bits=4 granularity=per_tensor", sorted by key */
    double sqnr_db;              /* 10 log10(signal / noise); +inf when exact */
    double rel_l2;               /* ||w - w'|| / ||w|| */
    double cosine;               /* cosine similarity of w and w' */
    double max_abs_error;
    uint64_t original_bits;      /* the weight as the model stores it */
    uint64_t storage_bits;       /* compressed: codes + scales + zero points + LUTs + indices */
    double sparsity;             /* fraction of exact zeros */
    uint32_t activations_int8;   /* the recipe marked the op's activations for int8 execution */
} wg_op_compression;

/* What limits an op's latency (since 1.1). */
#define WG_BOUND_NONE 0
#define WG_BOUND_COMPUTE 1
#define WG_BOUND_MEMORY 2
#define WG_BOUND_OVERHEAD 3 /* dispatch or transition costs dominate */

typedef struct wg_totals {
    uint32_t struct_size;
    uint64_t op_count;
    uint64_t macs;
    uint64_t flops;
    uint64_t params;
    uint64_t weight_bytes;
    uint64_t peak_activation_bytes;
    uint64_t ops_without_cost_rule;
} wg_totals;

typedef struct wg_count_entry {
    const char* key;
    uint64_t count;
} wg_count_entry;

typedef struct wg_report {
    uint32_t struct_size;
    const char* tool_version;     /* winglet version that produced the report */
    const char* model_path;
    const char* content_hash;     /* "xxh3-128:<32 hex digits>" of the model file bytes */
    const wg_model_meta* meta;
    const wg_totals* totals;
    uint64_t op_count;
    uint32_t op_stride;           /* byte distance between consecutive records in `ops`; the host's
                                     record may be larger than the plugin's wg_op_record */
    const wg_op_record* ops;      /* in execution (topological) order */
    uint64_t op_type_count;       /* op-type histogram, most frequent first */
    const wg_count_entry* op_types;
    uint64_t warning_count;
    const char* const* warnings;
    uint64_t assumed_dim_count;   /* unknown dims taken as 1, by symbol */
    const char* const* assumed_dims;
    /* Since 1.1: the compiled plan's totals; NULL for an `inspect` report. */
    const struct wg_plan_summary* plan;
    /* Since 1.2: with a recipe, the same model before compression, op for op; else NULL. */
    const struct wg_report* baseline;
    /* Since 1.3: what-if alternatives the host precomputed (`compile --what-if`): the same model
       with one technique applied to every compressible weight, compiled for the same device. */
    uint64_t alternative_count;
    uint32_t alternative_stride;  /* byte distance between records in `alternatives` */
    const struct wg_alternative* alternatives;
    /* Since 1.4: the inputs the analysis was given (--input, --input-value), by input name, as
       text: shape "1x512" ("" when only a value was given; "scalar" for rank 0), values "16000"
       or "1,2,3" ("" when only a shape was given). */
    uint64_t given_input_count;
    const char* const* given_input_names;
    const char* const* given_input_shapes;
    const char* const* given_input_values;
    /* Since 1.4: the values whose shape stays (partly) unknown: the value, the op that writes it
       ("'name' (Op)") and why; and the command-line options that would resolve some of them. */
    uint64_t unknown_shape_count;
    const char* const* unknown_shape_values;
    const char* const* unknown_shape_ops;
    const char* const* unknown_shape_reasons;
    uint64_t shape_suggestion_count;
    const char* const* shape_suggestions;
} wg_report;

/* One precomputed what-if alternative (since 1.3). */
typedef struct wg_alternative {
    uint32_t struct_size;
    const char* id;               /* "int8", "palettize4", ... unique in the report; "none" = uncompressed */
    const char* label;            /* human-readable, e.g. "int8 weights + activations, per channel" */
    const char* technique;        /* the recipe technique, "none" for the uncompressed model */
    const char* recipe;           /* the recipe entry as TOML lines ("technique = ...\nbits = 8\n") */
    const struct wg_report* report; /* the compiled result, op for op like the report that holds it */
} wg_alternative;

/* ---- Compiling for a device (since 1.1) ------------------------------------------------------- */

/* A compute unit of a compiled plan. */
typedef struct wg_unit_desc {
    uint32_t struct_size;
    const char* name;           /* "npu", "gpu", "cpu", "pe-array" ... unique in the plan */
    const char* kind;           /* cpu | gpu | npu | dsp | mcu | accelerator */
    uint64_t memory_bytes;      /* on-unit memory; 0 when the unit works from shared RAM */
    uint64_t peak_memory_bytes; /* peak of the plan's memory on this unit */
} wg_unit_desc;

/* One op's result in a compiled plan; op_index addresses wg_graph_view::ops. */
typedef struct wg_op_result {
    uint32_t struct_size;
    uint64_t op_index;
    const char* unit;
    const char* fallback_reason; /* NULL or "" when on the preferred unit */
    int64_t group;               /* fused group id, -1 when not fused */
    double start_us;
    double latency_us;
    double energy_uj;
    uint64_t memory_traffic_bytes;
    uint32_t bound;              /* WG_BOUND_* */
    /* Since 1.2: */
    uint64_t output_bytes;       /* activation bytes the op writes on this device (its compute dtype);
                                    0: as the report says. Sizes the host's memory plan. */
    /* Since 1.4: the op's working set beyond its unit's on-chip memory (wg_unit_desc::memory_bytes)
       and what sending it to the next memory level and back costs. The traffic, time and energy are
       already part of memory_traffic_bytes, latency_us and energy_uj; all 0 when nothing spills. A
       fused group reports them on its first op, like its latency. */
    uint64_t spill_bytes;
    uint64_t spill_traffic_bytes;
    double spill_latency_us;     /* 0 when the op's compute time hides the extra traffic */
    double spill_energy_uj;
    /* Since 1.4: how the op's figures were obtained (WG_SOURCE_*). A target that runs the model
       (a measured target) says, per op, whether a kernel of the runtime was timed for it, whether it
       ran inside another op's kernel, was folded away when the runtime loaded the model, or shows in
       no kernel at all. For a measured op latency_us is the median over the timed runs and
       latency_min_us/latency_max_us their spread; `kernel` names the runtime kernel (NULL or ""
       when none). 0 (WG_SOURCE_PREDICTED) from every cost-model target. */
    uint32_t source;
    const char* kernel;
    double latency_min_us;
    double latency_max_us;
} wg_op_result;

/* How an op's figures were obtained (wg_op_result::source, wg_op_record::source; since 1.4). */
#define WG_SOURCE_PREDICTED 0    /* a cost model computed them */
#define WG_SOURCE_MEASURED 1     /* a runtime kernel ran for this op and was timed */
#define WG_SOURCE_FUSED 2        /* it ran inside the kernel of another op, which carries the time */
#define WG_SOURCE_FOLDED 3       /* the runtime computed it once at load (constant folding): no time per run */
#define WG_SOURCE_NOT_OBSERVED 4 /* no kernel of the run accounts for it */

/* Model-level results of a compiled plan. */
typedef struct wg_plan_summary {
    uint32_t struct_size;
    const char* device_id;
    const char* device_name;
    double latency_ms;           /* one inference, end to end on the simulated timeline */
    double energy_mj;            /* one inference, dynamic + static */
    double avg_power_w;          /* energy / latency */
    uint64_t peak_memory_bytes;  /* RAM the model needs: peak activations, plus the weights unless
                                    they are read in place from storage (weights_in, since 1.4) */
    uint64_t weights_resident_bytes; /* all weights, wherever they live */
    uint64_t storage_bytes;      /* the model as stored on the device */
    uint64_t unit_transitions;   /* data handed between units */
    uint32_t fits;               /* 1 when the model fits the device's memory and storage */
    const char* fit_detail;      /* the numbers behind `fits`, human-readable */
    uint64_t unit_count;
    const wg_unit_desc* units;
    /* Since 1.2: derived by the host; a target leaves them zero. */
    uint64_t critical_path_ops;  /* ops on the critical path */
    uint64_t unit_memory_count;
    uint32_t unit_memory_stride; /* byte distance between records in unit_memory */
    const struct wg_unit_memory* unit_memory; /* one per unit, in the order of `units` */
    /* Since 1.4, from the target: where the model lives, so a reader can show RAM and storage
       (flash) apart as MCU tools do. `fits` holds when both peak_memory_bytes <= ram_capacity_bytes
       and (when storage_capacity_bytes > 0) storage_bytes <= storage_capacity_bytes. */
    uint32_t weights_in;              /* WG_WEIGHTS_IN_*; 0 from a target older than 1.4 */
    uint64_t activation_bytes;        /* the RAM part that is not weights: peak activations, model
                                         inputs and outputs included */
    uint64_t ram_capacity_bytes;      /* the device's RAM; 0: not said */
    uint64_t storage_capacity_bytes;  /* the device's storage (flash); 0: not said or not checked */
    /* Since 1.4, derived by the host from the ops' results; a target leaves them zero: */
    uint64_t spill_count;             /* ops whose working set exceeds their unit's on-chip memory */
    uint32_t spill_stride;            /* byte distance between records in `spills` */
    const struct wg_op_spill* spills; /* in execution order */
    /* Since 1.4, from a target that runs the model (a measured target): latency_ms is then the
       median end-to-end latency of `latency_runs` timed runs, with their spread below. Energy is
       measured only where the machine has a meter (energy_measured = 1); otherwise energy_mj and
       avg_power_w are 0 and mean "not measured", never an estimate. */
    uint32_t measured;                /* 1: the figures come from a real run */
    uint32_t energy_measured;         /* 1: energy_mj comes from an energy meter */
    uint64_t latency_runs;
    double latency_min_ms;
    double latency_p90_ms;
    double latency_max_ms;
    double latency_stdev_ms;
    const char* runtime;              /* e.g. "onnxruntime 1.31.1 (CPUExecutionProvider)" */
    const char* measured_on;          /* the device as the runner saw it: CPU, threads, governor */
    uint64_t peak_rss_bytes;          /* the runner process's peak resident memory; 0: not read */
} wg_plan_summary;

/* Where a plan keeps the weights (since 1.4). */
#define WG_WEIGHTS_IN_UNKNOWN 0 /* the target does not say (built before 1.4) */
#define WG_WEIGHTS_IN_RAM 1     /* copied into RAM at load: RAM holds weights and activations */
#define WG_WEIGHTS_IN_STORAGE 2 /* read in place from memory-mapped storage (flash, XIP): RAM holds
                                   the activations only */

/* One op whose working set exceeds its unit's on-chip memory (since 1.4); the values of its
   wg_op_result. op_index addresses wg_report::ops. */
typedef struct wg_op_spill {
    uint32_t struct_size;
    uint64_t op_index;
    uint64_t spill_bytes;
    uint64_t spill_traffic_bytes;
    double spill_latency_us;
    double spill_energy_uj;
} wg_op_spill;

/* The activation memory plan of one unit (since 1.2): buffers placed in an arena by offset,
   sharing space when their lifetimes do not overlap (greedy by size). */
typedef struct wg_unit_memory {
    uint32_t struct_size;
    const char* unit;
    uint64_t arena_bytes;      /* the planned arena */
    uint64_t peak_live_bytes;  /* most bytes live at once: no plan can be smaller */
    uint64_t no_reuse_bytes;   /* every buffer of its own */
    uint64_t buffers;
} wg_unit_memory;

/* Values of the graph a target compiles. Flags: */
#define WG_VALUE_WEIGHT 1u
#define WG_VALUE_GRAPH_INPUT 2u
#define WG_VALUE_GRAPH_OUTPUT 4u
typedef struct wg_value_view {
    uint32_t struct_size;
    uint32_t flags;
    const char* name;
    wg_dtype dtype;
    wg_shape_view shape;
    int64_t producer;   /* index into wg_graph_view::ops, -1 for graph inputs and weights */
    uint64_t bytes;     /* storage size (unknown dims taken as 1) */
    /* Since 1.2: what a compression recipe made of the value. All zero when it did nothing. A
       target reads these, never the name of the technique that set them. */
    uint64_t storage_bits;     /* stored size incl. scales, zero points, LUTs; 0: bytes * 8 */
    wg_dtype compute_dtype;    /* a unit may compute in this dtype (INT8 for 8-bit codes; an
                                  activation marked for int8 execution); 0: as `dtype` */
    uint32_t decode;           /* WG_DECODE_*: work to turn the stored form into compute values */
    uint32_t sparsity_pattern; /* WG_SPARSITY_* */
    uint32_t sparsity_n, sparsity_m; /* WG_SPARSITY_N_M: n of every m kept */
    double sparsity;           /* fraction of exact zeros */
} wg_value_view;

/* An op of the graph a target compiles: its analysis record, its edges and attributes. */
typedef struct wg_op_view {
    uint32_t struct_size;
    const wg_op_record* record;        /* MACs, FLOPs, bytes ... of one execution */
    uint64_t input_count;
    const int64_t* inputs;             /* indices into wg_graph_view::values; -1 = absent */
    uint64_t output_count;
    const int64_t* outputs;
    uint64_t attribute_count;
    const wg_attr_desc* attributes;    /* scalars and lists; no tensors, no graphs */
} wg_op_view;

/* The whole model, flattened: subgraph ops are included (record->flags has WG_OP_IN_SUBGRAPH,
 * record->multiplier says how often they run). Borrowed for the duration of compile(). */
typedef struct wg_graph_view {
    uint32_t struct_size;
    const wg_report* report;          /* the inspect report the ops' records belong to */
    uint64_t op_count;
    uint32_t op_stride;
    const wg_op_view* ops;            /* execution order */
    uint64_t value_count;
    uint32_t value_stride;
    const wg_value_view* values;
} wg_graph_view;

/* ---- Compressing weights (since 1.2) ----------------------------------------------------------
 * An optimizer compresses one weight tensor per call; the host applies a recipe op by op, measures
 * the error from `decoded` itself, and hands the result to targets (wg_value_view's 1.2 fields)
 * and to model writers (wg_exporter_vtable::export_model). */
#define WG_DECODE_NONE 0
#define WG_DECODE_DEQUANTIZE 1 /* (code - zero_point) * scale per element */
#define WG_DECODE_LUT 2        /* a table look-up per element */

#define WG_SPARSITY_NONE 0
#define WG_SPARSITY_UNSTRUCTURED 1
#define WG_SPARSITY_N_M 2      /* n of every m consecutive weights along the reduction axis kept */
#define WG_SPARSITY_CHANNELS 3 /* whole output channels are zero */

#define WG_ENCODING_DENSE 0    /* the stored form is `decoded` itself (pruning: exact zeros) */
#define WG_ENCODING_LINEAR 1   /* codes, scales, zero points: decoded = (code - zp) * scale */
#define WG_ENCODING_LUT 2      /* codes index look-up tables: decoded = lut[group][code] */

typedef struct wg_compress_request {
    uint32_t struct_size;
    const char* tensor_name;
    const char* op_name;        /* the op whose recipe entry applies */
    const char* op_type;        /* e.g. "Conv", "Gemm", "MatMul" */
    uint32_t rank;
    const int64_t* dims;
    const float* values;        /* row-major, converted to fp32 by the host */
    int32_t channel_axis;       /* output channels (Conv weight 0; MatMul B 1; Gemm B 0 if transB) */
    int32_t reduction_axis;     /* what one output sums over (Conv weight 1; MatMul B 0) */
    uint64_t option_count;      /* the recipe entry's options, as text */
    const char* const* option_keys;
    const char* const* option_values;
} wg_compress_request;

typedef struct wg_compressed_desc {
    uint32_t struct_size;
    const float* decoded;       /* what the compressed weights compute with, row-major, same dims */
    uint64_t storage_bits;      /* everything stored: codes/indices + scales + zero points + LUTs */
    wg_dtype compute_dtype;     /* INT8 when units may compute on the codes, else FLOAT32 */
    uint32_t decode;            /* WG_DECODE_* */
    uint32_t sparsity_pattern;  /* WG_SPARSITY_* */
    uint32_t sparsity_n, sparsity_m;
    /* The stored form, for model writers: */
    uint32_t encoding;          /* WG_ENCODING_* */
    uint32_t code_bits;         /* bits of one code or index (LINEAR, LUT) */
    const int8_t* codes;        /* one per element: LINEAR signed codes; LUT indices as uint8 bits */
    int32_t param_axis;         /* LINEAR: axis of the scales (-1: one per tensor); LUT: grouping axis;
                                   DENSE with WG_SPARSITY_CHANNELS: the channel axis, -1 if not given
                                   (since 1.4; model writers store only the channels with a non-zero) */
    int64_t block_size;         /* LINEAR: block length along param_axis (0: per channel or tensor);
                                   LUT: channels per table (0: one table) */
    uint32_t param_rank;        /* LINEAR: shape of scales / zero points (rank 0: one of each) */
    const int64_t* param_dims;
    const float* scales;        /* LINEAR */
    const int8_t* zero_points;  /* LINEAR; NULL when all zero (symmetric) */
    uint64_t lut_count;         /* LUT: number of tables, each of 2^code_bits entries */
    const float* luts;
} wg_compressed_desc;

/* One option of a technique, for `winglet optimizers` and recipe checks. */
typedef struct wg_option_desc {
    uint32_t struct_size;
    const char* name;           /* e.g. "bits" */
    const char* values;         /* e.g. "8, 4 or 2" */
    const char* default_value;  /* as text; "" when required */
    const char* description;
} wg_option_desc;

/* A compressed model to write: the source file and, per replaced weight, its compressed form. */
typedef struct wg_tensor_edit {
    uint32_t struct_size;
    const char* name;           /* the initializer or Constant output it replaces */
    const char* technique;
    uint32_t rank;
    const int64_t* dims;
    wg_dtype original_dtype;
    const wg_compressed_desc* compressed;
} wg_tensor_edit;

typedef struct wg_model_edit {
    uint32_t struct_size;
    const char* source_path;
    const char* source_format;  /* the importer's format name, e.g. "onnx" */
    const uint8_t* source_data; /* the source file's bytes */
    uint64_t source_size;
    uint64_t tensor_count;
    const wg_tensor_edit* const* tensors;
    const char* producer;       /* e.g. "winglet 0.1.0 recipe.toml" */
} wg_model_edit;

/* A device a target plugin can compile for. Strings are owned by the plugin and stay valid
 * while it is loaded. */
typedef struct wg_device_info {
    uint32_t struct_size;
    const char* id;           /* unique across plugins, e.g. "jetson-orin-nano-8gb" */
    const char* name;
    const char* description;
    const char* source;       /* the spec file it came from, or "built-in" */
    const char* fingerprint;  /* changes whenever the device's numbers change (cache key) */
    /* Since 1.4: 1 for a device the target measures (it runs the model through a runner and
       reports what the run took); 0 for a predicted device (a cost model). */
    uint32_t measured;
} wg_device_info;

typedef struct wg_compile_request {
    uint32_t struct_size;
    const char* device_id;
    const wg_graph_view* graph;
    uint64_t option_count;    /* target-specific --option KEY=VALUE pairs */
    const char* const* option_keys;
    const char* const* option_values;
} wg_compile_request;

/* ---- The host API table, handed to every plugin (since 1.0) ------------------------------------ */
typedef struct wg_host_api {
    uint32_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;
    const char* host_version;

    /* Logs through the host's logger; `plugin_name` and `message` are copied. Warnings logged
     * during import_model are also shown to the user with the model's report. Since 1.0. */
    void (*log)(wg_log_level level, const char* plugin_name, const char* message);
    /* Records `message` (copied) on `err`, the handle the failing call received; the plugin
     * then returns `code`. `err` is owned by the host and valid only during that call. Since 1.0. */
    void (*set_error)(wg_error* err, wg_status code, const char* message);

    /* -- graph builder (importers), all since 1.0. `b` is owned by the host and valid during
     *    import_model only. Every string and array argument is copied before the call returns.
     *    A value used before being declared is created with an unknown type. They return
     *    WG_ERR_INVALID_ARGUMENT on a NULL argument, a struct_size below 1.0's or an inconsistent
     *    desc, and WG_ERR_FORMAT when the data itself is wrong (a byte size that does not match
     *    the type and shape, an initializer defined twice); the message is already on `err`. */
    wg_status (*set_model_meta)(wg_graph_builder* b, const wg_model_meta* meta, wg_error* err);
    wg_status (*declare_value)(wg_graph_builder* b, const char* name, const wg_tensor_type* type,
                               wg_error* err);
    wg_status (*add_graph_input)(wg_graph_builder* b, const char* name, wg_error* err);
    wg_status (*add_graph_output)(wg_graph_builder* b, const char* name, wg_error* err);
    wg_status (*add_initializer)(wg_graph_builder* b, const char* name, const wg_tensor_data* tensor,
                                 wg_error* err);
    /* Adds a node; *node_index receives its index for set_attribute / begin_subgraph. */
    wg_status (*add_node)(wg_graph_builder* b, const wg_node_desc* node, uint64_t* node_index,
                          wg_error* err);
    wg_status (*set_attribute)(wg_graph_builder* b, uint64_t node_index, const wg_attr_desc* attr,
                               wg_error* err);
    /* Opens the graph attribute `attr_name` of a node; *sub is a builder owned by the host, valid
     * until the import ends. Values of the enclosing graphs are visible inside by name. */
    wg_status (*begin_subgraph)(wg_graph_builder* b, uint64_t node_index, const char* attr_name,
                                wg_graph_builder** sub, wg_error* err);
    /* Maps a file that lies beside the model (ONNX external data). `relative_path` must stay
     * inside the model's directory: absolute paths and ".." escapes are refused. The bytes stay
     * valid until the import ends, and may be passed to add_initializer with WG_DATA_BORROW. */
    wg_status (*map_related_file)(wg_graph_builder* b, const char* relative_path,
                                  const uint8_t** data, uint64_t* size, wg_error* err);

    /* -- sink (exporters). Appends `size` bytes (copied) to the output. `sink` is owned by the
     *    host and valid during export_report only. WG_ERR_INTERNAL if writing failed. Since 1.0. */
    wg_status (*sink_write)(wg_sink* sink, const void* data, uint64_t size, wg_error* err);

    /* -- plan builder (targets), all since 1.1. `plan` is owned by the host and valid during
     *    compile only; every string is copied. A plan needs its units first, then one result
     *    per op (ops without a result are reported as not compiled), then its summary. */
    wg_status (*plan_add_unit)(wg_plan_builder* plan, const wg_unit_desc* unit, wg_error* err);
    wg_status (*plan_set_op)(wg_plan_builder* plan, const wg_op_result* result, wg_error* err);
    wg_status (*plan_set_summary)(wg_plan_builder* plan, const wg_plan_summary* summary,
                                  wg_error* err);

    /* -- compression result (optimizers), since 1.2. `result` is owned by the host and valid
     *    during compress only; every array is copied. Exactly one call per compress. The host
     *    refuses (WG_ERR_INVALID_ARGUMENT) a NULL `decoded`, non-finite decoded values, codes
     *    outside code_bits, or arrays missing for the encoding. */
    wg_status (*set_compressed)(wg_compress_result* result, const wg_compressed_desc* desc,
                                wg_error* err);
} wg_host_api;

/* ---- Kind-specific tables (since 1.0) ---------------------------------------------------------- */
typedef struct wg_importer_vtable {
    uint32_t struct_size;
    const char* format;          /* short name, e.g. "onnx" */
    const char* file_extensions; /* ';'-separated, without dots, e.g. "onnx" */
    /* Confidence 0..100 that `head` (the file's first bytes, borrowed for the call) is this
     * format. May be NULL. Since 1.0. */
    int32_t (*probe)(void* state, const uint8_t* head, uint64_t head_size);
    /* Builds the model in `request` through the builder functions of wg_host_api. `request` and
     * the bytes it points to are borrowed for the call. Importers apply request's dim overrides
     * before their own shape inference and log a warning for names that match nothing. Since 1.0. */
    wg_status (*import_model)(void* state, const wg_import_request* request,
                              wg_graph_builder* builder, wg_error* err);
} wg_importer_vtable;

typedef struct wg_exporter_vtable {
    uint32_t struct_size;
    const char* format;         /* the --format name, e.g. "json" */
    const char* file_extension; /* without dot, e.g. "json" */
    const char* mime_type;
    /* Writes `report` (borrowed for the call, see wg_report) to `sink`. Since 1.0. May be NULL
     * since 1.2 for a writer of models only. */
    wg_status (*export_report)(void* state, const wg_report* report, wg_sink* sink, wg_error* err);
    /* Since 1.2, may be NULL: writes `edit->source_data` (a model of `edit->source_format`, else
     * WG_ERR_UNSUPPORTED) with the weights of `edit` replaced by their compressed forms, decoded
     * by standard operators, to `sink`. */
    wg_status (*export_model)(void* state, const wg_model_edit* edit, wg_sink* sink, wg_error* err);
    /* Since 1.3, may be NULL: writes a comparison of `count` >= 2 reports to `sink`. Each is a
     * winglet JSON document (the "json" exporter's schema, checked by the host) with a label. */
    wg_status (*export_comparison)(void* state, uint64_t count, const char* const* labels,
                                   const char* const* documents, wg_sink* sink, wg_error* err);
} wg_exporter_vtable;

typedef struct wg_target_vtable {
    uint32_t struct_size;
    /* The devices this plugin compiles for (a spec-driven plugin: one per spec file). Since 1.1. */
    uint64_t (*device_count)(void* state);
    /* Fills *info (struct_size set by the host) for device `index`. Since 1.1. */
    wg_status (*describe_device)(void* state, uint64_t index, wg_device_info* info, wg_error* err);
    /* Places, fuses and costs request->graph on request->device_id through the plan builder.
     * Must be deterministic: the host caches plans by model, device fingerprint and options.
     * Since 1.1. */
    wg_status (*compile)(void* state, const wg_compile_request* request, wg_plan_builder* plan,
                         wg_error* err);
} wg_target_vtable;

typedef struct wg_optimizer_vtable {
    uint32_t struct_size;
    const char* technique;      /* the recipe's name for it: "quantize", "palettize", "prune" */
    const char* summary;        /* one line for `winglet optimizers` */
    uint64_t option_count;
    const wg_option_desc* const* options;
    /* Checks a recipe entry's options before any work: unknown keys and bad values are
     * WG_ERR_INVALID_ARGUMENT with a message naming the key and the accepted values. */
    wg_status (*check_options)(void* state, uint64_t count, const char* const* keys,
                               const char* const* values, wg_error* err);
    /* Compresses request->values (borrowed for the call) and reports the result through
     * host->set_compressed. Must be deterministic. May use every core. */
    wg_status (*compress)(void* state, const wg_compress_request* request, wg_compress_result* result,
                          wg_error* err);
} wg_optimizer_vtable;

/* ---- The plugin descriptor (since 1.0) --------------------------------------------------------- */
typedef struct wg_plugin {
    uint32_t struct_size;
    uint16_t abi_major; /* WG_ABI_MAJOR the plugin was built against */
    uint16_t abi_minor;
    wg_plugin_kind kind;
    const char* name;   /* unique id, e.g. "onnx" */
    const char* version;
    const char* description;
    /* Creates the plugin's state; called once after the ABI checks pass. May be NULL. */
    wg_status (*create)(const wg_host_api* host, void** state, wg_error* err);
    /* Destroys what create made; called once before unloading. May be NULL. */
    void (*destroy)(void* state);
    const void* vtable; /* points to the table of `kind` */
} wg_plugin;

/* The entry point's type. It must not call anything but `host->set_error` and `host->log`, and
 * returns a descriptor that stays valid while the library is loaded. Since 1.0. */
typedef wg_status (*wg_entry_fn)(const wg_host_api* host, const wg_plugin** plugin, wg_error* err);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WINGLET_PLUGIN_H */
