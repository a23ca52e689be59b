// A compression recipe (TOML): a default technique for the whole model, overrides selected by op
// name, name-scope glob, op type or "the N slowest ops on the target", and exclusions. The format
// is documented with examples in docs/recipes.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace winglet {

struct RecipeEntry {
    std::string technique;                      // "quantize", "palettize", "prune" or "none"
    std::map<std::string, std::string> options;  // the technique's options, as text
    std::string where;                           // "RECIPE:LINE" of the table, for messages
};

struct RecipeSelector {
    enum class Kind { Name, Scope, OpType, TopLatency };
    Kind kind = Kind::Name;
    std::string pattern;  // exact name, glob over the op's name, or op type
    int64_t count = 0;    // TopLatency
    std::string text() const;  // e.g. `scope = "/layer4/*"`
};

struct RecipeOverride {
    RecipeSelector selector;
    RecipeEntry entry;
};

struct Recipe {
    std::filesystem::path path;
    std::string content_hash;  // xxh3-128 of the file: part of every cache key of a compressed result
    std::optional<RecipeEntry> default_entry;
    std::vector<RecipeOverride> overrides;  // later ones win
    std::vector<std::string> exclude;       // "first", "last", op names or globs over op names
};

// Throws InputError "RECIPE:LINE:COL: problem" for a malformed file, an unknown key, a table
// without a technique, an override with no or several selectors.
Recipe load_recipe(const std::filesystem::path& path);
Recipe parse_recipe(const std::string& text, const std::filesystem::path& path);

}  // namespace winglet
