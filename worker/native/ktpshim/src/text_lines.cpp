// Text line boxes in a region: binarise, bridge letter/word gaps horizontally, take connected components, merge
// pieces that share a row.
#include "shim_internal.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace {

bool same_row(const cv::Rect& a, const cv::Rect& b) {
    int overlap = std::min(a.y + a.height, b.y + b.height) - std::max(a.y, b.y);
    return overlap >= 0.6 * std::min(a.height, b.height);
}

std::vector<cv::Rect> merge_rows(std::vector<cv::Rect> boxes) {
    bool merged = true;
    while (merged) {
        merged = false;
        for (size_t i = 0; i < boxes.size() && !merged; ++i)
            for (size_t j = i + 1; j < boxes.size() && !merged; ++j)
                if (same_row(boxes[i], boxes[j])) {
                    boxes[i] |= boxes[j];
                    boxes.erase(boxes.begin() + static_cast<long>(j));
                    merged = true;
                }
    }
    return boxes;
}

} // namespace

extern "C" ktp_status ktp_find_text_lines(const ktp_image* image, ktp_rect region, const ktp_line_params* params,
                                          ktp_rect* boxes, int32_t capacity, int32_t* count) {
    return ktp::guarded([&] {
        ktp::require(count != nullptr, "count is null");
        *count = 0;
        ktp::require(capacity >= 0 && (capacity == 0 || boxes != nullptr), "boxes is null");
        const cv::Mat& m = ktp::mat_of(image);
        ktp::require(region.width > 0 && region.height > 0, "region is empty");
        ktp::require(region.x >= 0 && region.y >= 0 && region.x + region.width <= m.cols &&
                         region.y + region.height <= m.rows,
                     "region lies outside the image");
        ktp_line_params p = params != nullptr ? *params : ktp_line_params{0, 0, 0, 0};
        const int close_width = p.close_width > 0 ? p.close_width : std::max(9, m.cols / 60);
        const int min_height = p.min_height > 0 ? p.min_height : std::max(6, m.rows / 100);
        const int max_height = p.max_height > 0 ? p.max_height : std::max(min_height, m.rows / 8);
        const int min_width = p.min_width > 0 ? p.min_width : min_height;

        cv::Mat gray = ktp::to_gray(m)(cv::Rect(region.x, region.y, region.width, region.height)), ink;
        cv::threshold(gray, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
        // A region that is almost all paper makes Otsu split paper noise: then there is no text.
        if (cv::countNonZero(ink) > 0.6 * ink.total()) return;
        cv::morphologyEx(ink, ink, cv::MORPH_CLOSE,
                         cv::getStructuringElement(cv::MORPH_RECT, cv::Size(close_width, 1)));
        cv::Mat labels, stats, centroids;
        int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8, CV_32S);
        std::vector<cv::Rect> pieces;
        for (int i = 1; i < n; ++i) {
            cv::Rect r(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                       stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT));
            if (r.height < min_height / 2 || r.height > max_height) continue;
            pieces.push_back(r);
        }
        std::vector<cv::Rect> lines;
        for (const auto& r : merge_rows(pieces))
            if (r.height >= min_height && r.height <= max_height && r.width >= min_width) lines.push_back(r);
        std::sort(lines.begin(), lines.end(), [](const cv::Rect& a, const cv::Rect& b) {
            return a.y != b.y ? a.y < b.y : a.x < b.x;
        });
        *count = static_cast<int32_t>(lines.size());
        for (int32_t i = 0; i < std::min<int32_t>(capacity, *count); ++i)
            boxes[i] = ktp_rect{lines[i].x + region.x, lines[i].y + region.y, lines[i].width, lines[i].height};
    });
}
