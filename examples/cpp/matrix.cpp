#include <vector>

// Row-major matrix product; returns an empty matrix when the shapes disagree.
std::vector<std::vector<double>> multiply(const std::vector<std::vector<double>> &a,
                                          const std::vector<std::vector<double>> &b) {
    if (a.empty() || b.empty() || a[0].size() != b.size()) {
        return {};
    }
    std::vector<std::vector<double>> out(a.size(), std::vector<double>(b[0].size(), 0.0));
    for (size_t i = 0; i < a.size(); ++i) {
        for (size_t k = 0; k < b.size(); ++k) {
            for (size_t j = 0; j < b[0].size(); ++j) {
                out[i][j] += a[i][k] * b[k][j];
            }
        }
    }
    return out;
}
