// Finds the card's quadrilateral in a photo. Candidates come from edge rings (Canny at two sensitivities) and from
// the card's light-blue print; each is scored by how much edge evidence lies along its four sides and how card-like
// its shape is. The winner's sides are then re-fitted to the strongest gradient at full resolution, which also puts
// the corners where the straight sides meet rather than on the card's rounded corners.
#include "shim_internal.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <array>
#include <cmath>

namespace {

using quad = std::array<cv::Point2f, 4>;

constexpr double kWorkingLongSide = 800.0;
constexpr double kCardAspect = 85.60 / 53.98;
constexpr double kMinAreaFraction = 0.12;
constexpr double kMinScore = 0.35;
constexpr double kClearScore = 0.85;

struct candidate {
    quad corners;
    double score = 0;
    int method = KTP_CARD_FULL_FRAME;
};

double side(const quad& q, int i) { return cv::norm(q[(i + 1) % 4] - q[i]); }

// Clockwise in image coordinates, starting so that corner 0 -> 1 is a long side; of the two long sides, the one
// starting nearer the image's top-left (a stable, arbitrary choice: orientation is decided later from content).
quad order_corners(quad q) {
    cv::Point2f c = (q[0] + q[1] + q[2] + q[3]) * 0.25f;
    std::sort(q.begin(), q.end(), [&](const cv::Point2f& a, const cv::Point2f& b) {
        return std::atan2(a.y - c.y, a.x - c.x) < std::atan2(b.y - c.y, b.x - c.x);
    });
    int start = side(q, 0) + side(q, 2) >= side(q, 1) + side(q, 3) ? 0 : 1;
    if (q[start + 2].x + q[start + 2].y < q[start].x + q[start].y) start += 2;
    quad out;
    for (int i = 0; i < 4; ++i) out[i] = q[(start + i) % 4];
    return out;
}

double interior_angle_cos_max(const quad& q) {
    double worst = 0;
    for (int i = 0; i < 4; ++i) {
        cv::Point2f a = q[(i + 3) % 4] - q[i], b = q[(i + 1) % 4] - q[i];
        double c = std::abs(a.dot(b)) / (cv::norm(a) * cv::norm(b) + 1e-9);
        worst = std::max(worst, c);
    }
    return worst;
}

// 0 when the quadrilateral cannot be a card seen at up to ~40 degrees, else a factor in (0, 1].
double shape_factor(const quad& q, const cv::Size& size) {
    double area = std::abs(cv::contourArea(std::vector<cv::Point2f>(q.begin(), q.end())));
    if (area < kMinAreaFraction * size.area()) return 0;
    if (!cv::isContourConvex(std::vector<cv::Point2f>(q.begin(), q.end()))) return 0;
    if (interior_angle_cos_max(q) > 0.7) return 0; // an angle below ~45 or above ~135 degrees
    double a = side(q, 0), b = side(q, 1), c = side(q, 2), d = side(q, 3);
    if (std::min(a, c) / std::max(a, c) < 0.55 || std::min(b, d) / std::max(b, d) < 0.55) return 0;
    double aspect = std::max(a + c, b + d) / std::min(a + c, b + d);
    if (aspect < 1.25 || aspect > 2.2) return 0;
    return 1.0 - std::min(1.0, std::abs(std::log(aspect / kCardAspect)) * 1.5);
}

// Fraction of points along the sides (corners excluded) that sit on an edge pixel.
double edge_support(const quad& q, const cv::Mat& edges) {
    double total = 0;
    for (int i = 0; i < 4; ++i) {
        cv::Point2f a = q[i], b = q[(i + 1) % 4];
        bool on_border = (std::abs(a.x - b.x) < 3 && (a.x < 3 || a.x > edges.cols - 4)) ||
                         (std::abs(a.y - b.y) < 3 && (a.y < 3 || a.y > edges.rows - 4));
        int samples = std::max(8, static_cast<int>(cv::norm(b - a) / 2));
        int hits = 0, seen = 0;
        for (int s = 0; s < samples; ++s) {
            double t = 0.06 + 0.88 * s / (samples - 1);
            cv::Point p(cvRound(a.x + t * (b.x - a.x)), cvRound(a.y + t * (b.y - a.y)));
            if (p.x < 0 || p.y < 0 || p.x >= edges.cols || p.y >= edges.rows) continue;
            ++seen;
            hits += edges.at<uint8_t>(p) != 0;
        }
        // A side on the image border is a card cropped by the frame: no edge to see, neutral evidence.
        double s = on_border ? 0.5 : (seen > 0 ? static_cast<double>(hits) / seen : 0.0);
        total += s;
    }
    return total / 4.0;
}

float sample(const cv::Mat& gray, float x, float y) {
    x = std::clamp(x, 0.f, static_cast<float>(gray.cols - 1));
    y = std::clamp(y, 0.f, static_cast<float>(gray.rows - 1));
    int x0 = static_cast<int>(x), y0 = static_cast<int>(y);
    int x1 = std::min(x0 + 1, gray.cols - 1), y1 = std::min(y0 + 1, gray.rows - 1);
    float fx = x - x0, fy = y - y0;
    float top = gray.at<uint8_t>(y0, x0) * (1 - fx) + gray.at<uint8_t>(y0, x1) * fx;
    float bottom = gray.at<uint8_t>(y1, x0) * (1 - fx) + gray.at<uint8_t>(y1, x1) * fx;
    return top * (1 - fy) + bottom * fy;
}

cv::Vec4f line_through(const cv::Point2f& a, const cv::Point2f& b) {
    cv::Point2f d = b - a;
    float n = static_cast<float>(cv::norm(d));
    return cv::Vec4f(d.x / n, d.y / n, a.x, a.y);
}

bool intersect(const cv::Vec4f& l1, const cv::Vec4f& l2, cv::Point2f& p) {
    float det = l1[0] * l2[1] - l1[1] * l2[0];
    if (std::abs(det) < 1e-3f) return false;
    float t = ((l2[2] - l1[2]) * l2[1] - (l2[3] - l1[3]) * l2[0]) / det;
    p = cv::Point2f(l1[2] + t * l1[0], l1[3] + t * l1[1]);
    return true;
}

// Re-fits each side to the strongest intensity step along its normal (within `reach` px). A side without enough
// clear steps (glare, a finger, the frame edge) keeps its current line.
quad refine(const quad& q, const cv::Mat& gray, float reach) {
    std::array<cv::Vec4f, 4> lines;
    for (int i = 0; i < 4; ++i) {
        cv::Point2f a = q[i], b = q[(i + 1) % 4], dir = b - a;
        float length = static_cast<float>(cv::norm(dir));
        if (length < 8) return q;
        lines[i] = line_through(a, b);
        dir *= 1.0f / length;
        cv::Point2f normal(-dir.y, dir.x);
        std::vector<cv::Point2f> points;
        const int samples = 40, steps = static_cast<int>(std::ceil(reach)) * 2;
        const float step = 2 * reach / steps;
        for (int s = 0; s < samples; ++s) {
            float t = 0.1f + 0.8f * s / (samples - 1);
            cv::Point2f base = a + (b - a) * t;
            std::vector<float> profile(steps + 1);
            for (int k = 0; k <= steps; ++k) {
                cv::Point2f p = base + normal * (-reach + k * step);
                float v = 0;
                for (float w : {-1.5f, 0.f, 1.5f}) v += sample(gray, p.x + dir.x * w, p.y + dir.y * w);
                profile[k] = v / 3;
            }
            float best = 0, best_offset = 0;
            for (int k = 1; k < steps; ++k) {
                float g = std::abs(profile[k + 1] - profile[k - 1]) / (2 * step);
                if (g > best) {
                    best = g;
                    best_offset = -reach + k * step;
                }
            }
            if (best >= 4.0f) points.push_back(base + normal * best_offset); // >= 4 gray levels per px
        }
        if (points.size() >= samples / 3) cv::fitLine(points, lines[i], cv::DIST_HUBER, 0, 0.01, 0.01);
    }
    quad refined;
    for (int i = 0; i < 4; ++i) {
        if (!intersect(lines[(i + 3) % 4], lines[i], refined[i])) return q;
        if (cv::norm(refined[i] - q[i]) > 4 * reach) return q;
    }
    return refined;
}

// Dominant straight runs of a boundary (sequential RANSAC), then every way of choosing two near-parallel pairs of
// them as the card's sides. Finds the card when a corner is hidden or clutter touching the card merged into the
// boundary, where a polygon approximation of the whole outline cannot.
std::vector<quad> quads_from_lines(const std::vector<cv::Point>& boundary, int min_run) {
    std::vector<quad> quads;
    if (static_cast<int>(boundary.size()) < 4 * min_run) return quads;
    std::vector<cv::Point2f> remaining(boundary.begin(), boundary.end());
    std::vector<cv::Vec4f> lines;
    cv::RNG rng(0x4b5450); // deterministic: the same photo always gives the same answer
    for (int k = 0; k < 8 && static_cast<int>(remaining.size()) >= min_run; ++k) {
        int best_count = 0;
        cv::Vec4f best_line;
        for (int iter = 0; iter < 150; ++iter) {
            const cv::Point2f& a = remaining[rng.uniform(0, static_cast<int>(remaining.size()))];
            const cv::Point2f& b = remaining[rng.uniform(0, static_cast<int>(remaining.size()))];
            if (cv::norm(a - b) < min_run) continue;
            cv::Vec4f l = line_through(a, b);
            int count = 0;
            for (const auto& p : remaining) count += std::abs((p.x - l[2]) * l[1] - (p.y - l[3]) * l[0]) < 2.0f;
            if (count > best_count) {
                best_count = count;
                best_line = l;
            }
        }
        if (best_count < min_run) break;
        std::vector<cv::Point2f> inliers, rest;
        for (const auto& p : remaining)
            (std::abs((p.x - best_line[2]) * best_line[1] - (p.y - best_line[3]) * best_line[0]) < 2.0f ? inliers : rest)
                .push_back(p);
        cv::fitLine(inliers, best_line, cv::DIST_L2, 0, 0.01, 0.01);
        lines.push_back(best_line);
        remaining.swap(rest);
    }
    auto angle_between = [](const cv::Vec4f& a, const cv::Vec4f& b) {
        return std::acos(std::min(1.0f, std::abs(a[0] * b[0] + a[1] * b[1]))) * 180.0 / CV_PI;
    };
    const int n = static_cast<int>(lines.size());
    for (int a = 0; a < n; ++a)
        for (int b = a + 1; b < n; ++b) {
            if (angle_between(lines[a], lines[b]) > 35) continue;
            for (int c = 0; c < n; ++c)
                for (int d = c + 1; d < n; ++d) {
                    if (c == a || c == b || d == a || d == b || c < a) continue;
                    if (angle_between(lines[c], lines[d]) > 35 || angle_between(lines[a], lines[c]) < 45) continue;
                    quad q;
                    if (!intersect(lines[a], lines[c], q[0]) || !intersect(lines[c], lines[b], q[1]) ||
                        !intersect(lines[b], lines[d], q[2]) || !intersect(lines[d], lines[a], q[3]))
                        continue;
                    quads.push_back(q);
                }
        }
    return quads;
}

void consider(quad q, int method, const cv::Mat& gray, const cv::Mat& edges, std::vector<candidate>& out) {
    q = order_corners(refine(order_corners(q), gray, 4.0f));
    double shape = shape_factor(q, edges.size());
    if (shape <= 0) return;
    out.push_back({q, edge_support(q, edges) * (0.6 + 0.4 * shape), method});
}

void consider_lines(const std::vector<cv::Point>& contour, int method, const cv::Mat& gray, const cv::Mat& edges,
                    std::vector<candidate>& out) {
    // CHAIN_APPROX_SIMPLE keeps only segment ends: densify so every straight run has points to vote.
    std::vector<cv::Point> dense;
    for (size_t i = 0; i < contour.size(); ++i) {
        cv::LineIterator it(contour[i], contour[(i + 1) % contour.size()], 8);
        for (int k = 0; k < it.count; ++k, ++it) dense.push_back(it.pos());
    }
    // Every other point is plenty to vote and halves the RANSAC cost.
    std::vector<cv::Point> sparse;
    for (size_t i = 0; i < dense.size(); i += 2) sparse.push_back(dense[i]);
    int min_run = std::max(10, std::min(edges.cols, edges.rows) / 24);
    for (const auto& q : quads_from_lines(sparse, min_run)) consider(q, method, gray, edges, out);
}

struct outline {
    std::vector<cv::Point> points;
    int method;
};

void add_quads_from_contours(const std::vector<std::vector<cv::Point>>& contours, int method, const cv::Mat& gray,
                             const cv::Mat& edges, std::vector<candidate>& out, std::vector<outline>& outlines) {
    const double min_area = kMinAreaFraction * edges.size().area();
    for (const auto& contour : contours) {
        // Gate on the hull: a ring of edges with a gap has a thin contour of tiny area but the card's hull.
        std::vector<cv::Point> hull;
        cv::convexHull(contour, hull);
        if (cv::contourArea(hull) < min_area) continue;
        outlines.push_back({contour, method});
        double perimeter = cv::arcLength(hull, true);
        for (double eps : {0.015, 0.025, 0.04, 0.06}) {
            std::vector<cv::Point> poly;
            cv::approxPolyDP(hull, poly, eps * perimeter, true);
            if (poly.size() > 4) continue;
            if (poly.size() < 4) break;
            quad q;
            for (int i = 0; i < 4; ++i) q[i] = cv::Point2f(static_cast<float>(poly[i].x), static_cast<float>(poly[i].y));
            // Hull vertices cut the card's rounded corners and sit on the outside of blurred edges: consider()
            // re-fits the sides before judging how well edges support them.
            consider(q, method, gray, edges, out);
            break;
        }
    }
}

void edge_candidates(const cv::Mat& gray, const cv::Mat& support_edges, std::vector<candidate>& out,
                     std::vector<outline>& outlines) {
    cv::Mat blurred;
    cv::GaussianBlur(gray, blurred, cv::Size(5, 5), 0);
    for (auto [low, high] : {std::pair{50.0, 150.0}, std::pair{20.0, 60.0}}) {
        cv::Mat edges;
        cv::Canny(blurred, edges, low, high);
        cv::morphologyEx(edges, edges, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));
        std::vector<std::vector<cv::Point>> contours;
        // LIST, not EXTERNAL: clutter touching the card's outline merges into the outer contour, while the ring's
        // inner contour still follows the card alone.
        cv::findContours(edges, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
        add_quads_from_contours(contours, KTP_CARD_EDGES, gray, support_edges, out, outlines);
    }
}

void colour_candidates(const cv::Mat& bgr, const cv::Mat& gray, const cv::Mat& support_edges,
                       std::vector<candidate>& out, std::vector<outline>& outlines) {
    if (bgr.channels() != 3) return;
    cv::Mat hsv, mask;
    cv::cvtColor(bgr, hsv, cv::COLOR_BGR2HSV);
    // The card's print: light to mid blue (OpenCV hue 0..180), not grey, not dark.
    cv::inRange(hsv, cv::Scalar(82, 18, 110), cv::Scalar(128, 200, 255), mask);
    cv::morphologyEx(mask, mask, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));
    cv::morphologyEx(mask, mask, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(21, 21)));
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    add_quads_from_contours(contours, KTP_CARD_COLOUR, gray, support_edges, out, outlines);
}

quad full_frame(const cv::Size& size) {
    float w = static_cast<float>(size.width), h = static_cast<float>(size.height);
    quad q = {cv::Point2f(0, 0), cv::Point2f(w, 0), cv::Point2f(w, h), cv::Point2f(0, h)};
    if (h > w) q = {cv::Point2f(0, h), cv::Point2f(0, 0), cv::Point2f(w, 0), cv::Point2f(w, h)};
    return q;
}

} // namespace

extern "C" ktp_status ktp_find_card(const ktp_image* image, ktp_card_quad* out) {
    return ktp::guarded([&] {
        ktp::require(out != nullptr, "out is null");
        const cv::Mat& m = ktp::mat_of(image);
        ktp::require(m.cols >= 16 && m.rows >= 16, "image is too small to search");
        double scale = std::min(1.0, kWorkingLongSide / std::max(m.cols, m.rows));
        cv::Mat small;
        if (scale < 1.0)
            cv::resize(m, small, cv::Size(), scale, scale, cv::INTER_AREA);
        else
            small = m;
        cv::Mat gray = ktp::to_gray(small), support;
        cv::Mat blurred;
        cv::GaussianBlur(gray, blurred, cv::Size(5, 5), 0);
        cv::Canny(blurred, support, 20, 60);
        cv::dilate(support, support, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));

        std::vector<candidate> candidates;
        std::vector<outline> outlines;
        edge_candidates(gray, support, candidates, outlines);
        colour_candidates(small, gray, support, candidates, outlines);
        auto best_score = [&] {
            double b = 0;
            for (const auto& c : candidates) b = std::max(b, c.score);
            return b;
        };
        // Line fits cost more than polygon approximation: only when no outline was already clearly a card.
        if (best_score() < kClearScore)
            for (const auto& o : outlines) consider_lines(o.points, o.method, gray, support, candidates);
        candidate best{full_frame(m.size()), 0.0, KTP_CARD_FULL_FRAME};
        auto winner = std::max_element(candidates.begin(), candidates.end(),
                                       [](const candidate& a, const candidate& b) { return a.score < b.score; });
        if (winner != candidates.end() && winner->score >= kMinScore) {
            quad q;
            for (int i = 0; i < 4; ++i) q[i] = winner->corners[i] * static_cast<float>(1.0 / scale);
            cv::Mat full_gray = ktp::to_gray(m);
            best = {order_corners(refine(q, full_gray, static_cast<float>(std::max(3.0, 4.0 / scale)))),
                    winner->score, winner->method};
        }
        for (int i = 0; i < 4; ++i) {
            out->x[i] = best.corners[i].x;
            out->y[i] = best.corners[i].y;
        }
        out->score = best.score;
        out->method = best.method;
    });
}
