// Plain-text tables and human-readable numbers for the terminal.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace winglet::cli {

// 4096000000 -> "4.10 G"; below 1000 the exact integer.
std::string si_count(uint64_t n);
// 102760448 -> "98.0 MiB".
std::string iec_bytes(uint64_t n);
// (2.5, 3) -> "2.500".
std::string fixed(double v, int decimals);

class TextTable {
public:
    enum class Align { Left, Right };
    void add_column(std::string header, Align align, size_t max_width = 0);
    void add_row(std::vector<std::string> cells);
    void print(std::ostream& out) const;

private:
    struct Column {
        std::string header;
        Align align;
        size_t max_width;  // 0: unlimited; longer cells are shortened in the middle
    };
    std::vector<Column> columns_;
    std::vector<std::vector<std::string>> rows_;
};

}  // namespace winglet::cli
