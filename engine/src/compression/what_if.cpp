#include "compression/what_if.hpp"

#include "compression/apply_recipe.hpp"
#include "compression/compressed_report.hpp"
#include "compression/recipe.hpp"

namespace winglet {
namespace {

// An alternative's report keeps what a reader sees (storage bits, sparsity, error), not the
// compressed values: seven copies of a large model's weights would not fit in memory.
void drop_compressed_values(Report& report) {
    for (OpReport& op : report.ops) {
        if (!op.compression || !op.compression->compressed) continue;
        auto light = std::make_shared<OpCompression>(*op.compression);
        auto summary = std::make_shared<CompressedTensor>();
        const CompressedTensor& full = *op.compression->compressed;
        summary->storage_bits = full.storage_bits;
        summary->compute_dtype = full.compute_dtype;
        summary->decode = full.decode;
        summary->sparsity_pattern = full.sparsity_pattern;
        summary->sparsity_n = full.sparsity_n;
        summary->sparsity_m = full.sparsity_m;
        summary->sparsity = full.sparsity;
        summary->encoding = full.encoding;
        summary->code_bits = full.code_bits;
        summary->param_axis = full.param_axis;
        summary->block_size = full.block_size;
        summary->lut_count = full.lut_count;
        light->compressed = std::move(summary);
        op.compression = std::move(light);
    }
}

}  // namespace

const std::vector<WhatIfChoice>& standard_what_if_choices() {
    // The options a practitioner would try first: the common int8 deployment, 4-bit weights in
    // blocks of 32 (as GPTQ/AWQ-style int4 ships), Core ML's per-tensor palettes, NVIDIA's 2:4 and
    // plain magnitude pruning at half the weights.
    static const std::vector<WhatIfChoice> choices = {
        {"none", "none (as trained)", "none", "technique = \"none\"\n"},
        {"int8", "int8 weights + activations, per channel", "quantize",
         "technique = \"quantize\"\nbits = 8\ngranularity = \"per_channel\"\nactivations = \"int8\"\n"},
        {"int4", "int4 weights, blocks of 32", "quantize",
         "technique = \"quantize\"\nbits = 4\ngranularity = \"per_block\"\nblock_size = 32\n"},
        {"palettize4", "4-bit palette (16 values per tensor)", "palettize", "technique = \"palettize\"\nbits = 4\n"},
        {"palettize6", "6-bit palette (64 values per tensor)", "palettize", "technique = \"palettize\"\nbits = 6\n"},
        {"prune2_4", "2:4 structured sparsity", "prune", "technique = \"prune\"\nmethod = \"n_m\"\nn = 2\nm = 4\n"},
        {"prune50", "50 % magnitude pruning", "prune", "technique = \"prune\"\nmethod = \"magnitude\"\nsparsity = 0.5\n"},
    };
    return choices;
}

std::vector<Alternative> compute_alternatives(const PluginRegistry& registry, const Model& model,
                                              const std::shared_ptr<const Report>& uncompressed,
                                              const CompileReport& compile, std::vector<std::string>& warnings) {
    std::vector<Alternative> out;
    for (const WhatIfChoice& choice : standard_what_if_choices()) {
        Alternative alt{choice.id, choice.label, choice.technique, choice.recipe, nullptr};
        if (choice.technique == "none") {
            alt.report = uncompressed;
            out.push_back(std::move(alt));
            continue;
        }
        if (!registry.optimizer(choice.technique)) {
            warnings.push_back("what-if: no optimizer plugin for '" + choice.technique + "'; alternative '" +
                               choice.id + "' left out");
            continue;
        }
        const Recipe recipe = parse_recipe("[default]\n" + choice.recipe, "what-if " + choice.id);
        check_recipe(registry, recipe);
        const CompressionResult result = apply_recipe(registry, model, *uncompressed, recipe);
        Report after = compressed_report(model, *uncompressed, result);
        compile(after, "recipe " + result.fingerprint);
        drop_compressed_values(after);
        alt.report = std::make_shared<Report>(std::move(after));
        out.push_back(std::move(alt));
    }
    return out;
}

}  // namespace winglet
