#include "cli/text_table.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace winglet::cli {

std::string si_count(uint64_t n) {
    if (n < 1000) return std::to_string(n);
    static const char* const suffix[] = {"K", "M", "G", "T", "P", "E"};
    double v = static_cast<double>(n);
    int i = -1;
    while (v >= 1000.0 && i < 5) {
        v /= 1000.0;
        ++i;
    }
    return fmt::format("{:.2f} {}", v, suffix[i]);
}

std::string iec_bytes(uint64_t n) {
    if (n < 1024) return std::to_string(n) + " B";
    static const char* const suffix[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = static_cast<double>(n);
    int i = -1;
    while (v >= 1024.0 && i < 5) {
        v /= 1024.0;
        ++i;
    }
    return fmt::format("{:.1f} {}", v, suffix[i]);
}

std::string fixed(double v, int decimals) { return fmt::format("{:.{}f}", v, decimals); }

void TextTable::add_column(std::string header, Align align, size_t max_width) {
    columns_.push_back(Column{std::move(header), align, max_width});
}

void TextTable::add_row(std::vector<std::string> cells) {
    cells.resize(columns_.size());
    for (size_t c = 0; c < cells.size(); ++c) {
        const size_t max = columns_[c].max_width;
        if (max > 3 && cells[c].size() > max) {
            const size_t keep = max - 3, head = keep / 2;
            cells[c] = cells[c].substr(0, head) + "..." + cells[c].substr(cells[c].size() - (keep - head));
        }
    }
    rows_.push_back(std::move(cells));
}

void TextTable::print(std::ostream& out) const {
    std::vector<size_t> width(columns_.size());
    for (size_t c = 0; c < columns_.size(); ++c) {
        width[c] = columns_[c].header.size();
        for (const auto& row : rows_) width[c] = std::max(width[c], row[c].size());
    }
    auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        for (size_t c = 0; c < cells.size(); ++c) {
            if (c) text += "  ";
            const size_t pad = width[c] - std::min(width[c], cells[c].size());
            if (columns_[c].align == Align::Right) text.append(pad, ' ');
            text += cells[c];
            if (columns_[c].align == Align::Left && c + 1 < cells.size()) text.append(pad, ' ');
        }
        out << text << '\n';
    };
    std::vector<std::string> headers;
    for (const auto& col : columns_) headers.push_back(col.header);
    line(headers);
    for (const auto& row : rows_) line(row);
}

}  // namespace winglet::cli
