// Finds the card's quadrilateral in a photo, at 800 px on the long side. Candidate outlines come from edge rings
// (Canny at two sensitivities), from the card's light-blue print (fixed HSV range) and from its blueness against
// the surroundings (Otsu on B - R). Each outline's hull gives a 4-gon (and, when nothing is clearly a card yet,
// RANSAC line fits give more); every quad is re-fitted to the strongest steps near its sides and scored by how
// consistently each side separates inside from outside, times how card-like its shape is. The winner is re-fitted
// at full resolution, which puts the corners where the straight sides meet rather than on the rounded corners.
// A tight crop (the frame has the card's shape and its print reaches every side) is taken as the card without a search.
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
constexpr double kTightCropAspectSlack = 1.06;
constexpr double kTightCropPrintShare = 0.9;
// The card's print: light to mid blue (OpenCV hue 0..180), not grey, not dark.
const cv::Scalar kPrintLow(82, 18, 110), kPrintHigh(128, 200, 255);

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

// What a side must show to be the card's edge: along its whole length, the band just inside differs from the band
// just outside in the same direction (lighter inside, say), in brightness or in blueness (the card is light blue).
// Text lines and guilloche inside the card alternate or do not differ, so they score low; so does a side lying on
// noise. Bands are 2-4 px from the side, at the working scale.
struct evidence {
    cv::Mat gray;   // smoothed luminance
    cv::Mat chroma; // smoothed B - R + 128
    cv::Size size;
};

evidence make_evidence(const cv::Mat& small) {
    evidence ev;
    ev.size = small.size();
    cv::GaussianBlur(ktp::to_gray(small), ev.gray, cv::Size(3, 3), 0);
    if (small.channels() == 3) {
        std::vector<cv::Mat> planes;
        cv::split(small, planes);
        cv::Mat chroma;
        cv::subtract(planes[0], planes[2], chroma, cv::noArray(), CV_16S);
        chroma.convertTo(ev.chroma, CV_8U, 1.0, 128.0);
        cv::GaussianBlur(ev.chroma, ev.chroma, cv::Size(3, 3), 0);
    }
    return ev;
}

bool along_border(const cv::Point2f& a, const cv::Point2f& b, const cv::Size& size) {
    const float tol = std::max(3.0f, 0.012f * std::max(size.width, size.height));
    return (std::abs(a.x - b.x) < tol && (a.x < tol || a.x > size.width - 1 - tol)) ||
           (std::abs(a.y - b.y) < tol && (a.y < tol || a.y > size.height - 1 - tol));
}

double side_support(const quad& q, const evidence& ev) {
    const cv::Point2f centre = (q[0] + q[1] + q[2] + q[3]) * 0.25f;
    double total = 0;
    for (int i = 0; i < 4; ++i) {
        const cv::Point2f a = q[i], b = q[(i + 1) % 4];
        cv::Point2f dir = b - a;
        const float length = static_cast<float>(cv::norm(dir));
        if (length < 8) return 0;
        dir *= 1.0f / length;
        cv::Point2f out(-dir.y, dir.x);
        if (out.dot((a + b) * 0.5f - centre) < 0) out = -out;
        const int samples = std::max(10, static_cast<int>(length / 3));
        int seen = 0;
        std::array<int, 2> lighter{0, 0}, darker{0, 0};
        for (int s = 0; s < samples; ++s) {
            const cv::Point2f p = a + (b - a) * (0.08f + 0.84f * s / (samples - 1));
            if (p.x < 0 || p.y < 0 || p.x > ev.size.width - 1 || p.y > ev.size.height - 1) continue;
            ++seen;
            for (int c = 0; c < 2; ++c) {
                const cv::Mat& img = c == 0 ? ev.gray : ev.chroma;
                if (img.empty()) continue;
                float inside = 0, outside = 0;
                for (float k : {2.f, 3.f, 4.f}) {
                    inside += sample(img, p.x - out.x * k, p.y - out.y * k);
                    outside += sample(img, p.x + out.x * k, p.y + out.y * k);
                }
                const float d = (inside - outside) / 3, threshold = c == 0 ? 6.f : 4.f;
                lighter[c] += d > threshold;
                darker[c] += d < -threshold;
            }
        }
        double side = 0;
        if (along_border(a, b, ev.size) || seen < samples / 2) {
            side = 0.5; // cut by the frame: nothing to see, neutral
        } else {
            for (int c = 0; c < 2; ++c) side = std::max(side, static_cast<double>(std::max(lighter[c], darker[c])) / seen);
        }
        total += side;
    }
    return total / 4;
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

// The biggest set of points on one line (within 1.5 px), by trying the line through every pair. Along a side, the
// strongest steps are mostly the card's edge but partly a text line or the photo's border running parallel to it;
// a least-squares or Huber fit through the mixture tilts the side, whereas the largest colinear set is one of them.
std::vector<cv::Point2f> largest_colinear_set(const std::vector<cv::Point2f>& points) {
    size_t best_count = 0;
    cv::Vec4f best;
    // Every other point as a line anchor is plenty (40 samples per side) and a quarter of the cost.
    for (size_t a = 0; a < points.size(); a += 2)
        for (size_t b = a + 1; b < points.size(); b += 2) {
            if (cv::norm(points[a] - points[b]) < 4) continue;
            const cv::Vec4f l = line_through(points[a], points[b]);
            size_t count = 0;
            for (const auto& p : points) count += std::abs((p.x - l[2]) * l[1] - (p.y - l[3]) * l[0]) < 1.5f;
            if (count > best_count) {
                best_count = count;
                best = l;
            }
        }
    std::vector<cv::Point2f> inliers;
    if (best_count == 0) return inliers;
    for (const auto& p : points)
        if (std::abs((p.x - best[2]) * best[1] - (p.y - best[3]) * best[0]) < 1.5f) inliers.push_back(p);
    return inliers;
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
        if (points.size() >= samples / 3) {
            const auto inliers = largest_colinear_set(points);
            if (inliers.size() >= samples / 3) cv::fitLine(inliers, lines[i], cv::DIST_L2, 0, 0.01, 0.01);
        }
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

// A card cut by the frame shows the image border as one of its sides: move that side outward along its two
// neighbours until the card's aspect is restored from the intact opposite side (approximate under perspective).
quad extend_cropped(const quad& q, const cv::Size& size) {
    int cut = -1;
    for (int i = 0; i < 4; ++i)
        if (along_border(q[i], q[(i + 1) % 4], size)) {
            if (cut >= 0) return q; // two sides on the border: a tight crop, nothing to restore
            cut = i;
        }
    if (cut < 0) return q;
    const cv::Point2f a = q[cut], b = q[(cut + 1) % 4], c = q[(cut + 2) % 4], d = q[(cut + 3) % 4];
    const double opposite = cv::norm(c - d), next = cv::norm(b - c), previous = cv::norm(a - d);
    const double visible = (next + previous) / 2;
    const double as_long = opposite * kCardAspect, as_short = opposite / kCardAspect;
    const double expected = std::abs(visible - as_long) < std::abs(visible - as_short) ? as_long : as_short;
    // Restore at most a quarter of the card: a larger guess is more likely a wrong candidate than a cut card.
    if (visible >= 0.98 * expected || visible < 0.75 * expected) return q;
    quad out = q;
    out[cut] = d + (a - d) * static_cast<float>(expected / previous);
    out[(cut + 1) % 4] = c + (b - c) * static_cast<float>(expected / next);
    return out;
}

void consider(quad q, int method, const cv::Mat& gray, const evidence& ev, std::vector<candidate>& out) {
    // Two passes: align with the nearby edge, then let each side jump to the strongest step within a wider reach
    // (from a drop shadow's outer edge to the card's own edge, say).
    q = order_corners(refine(order_corners(q), gray, 4.0f));
    const float short_side = static_cast<float>(std::min({side(q, 0), side(q, 1), side(q, 2), side(q, 3)}));
    q = order_corners(refine(q, gray, std::clamp(0.025f * short_side, 4.0f, 10.0f)));
    int border_sides = 0;
    for (int i = 0; i < 4; ++i) border_sides += along_border(q[i], q[(i + 1) % 4], ev.size);
    if (border_sides >= 2) return; // the frame itself (vignette, a tight crop): the full-frame fallback covers it
    q = order_corners(extend_cropped(q, ev.size));
    double shape = shape_factor(q, ev.size);
    if (shape <= 0) return;
    out.push_back({q, side_support(q, ev) * (0.6 + 0.4 * shape), method});
}

void consider_lines(const std::vector<cv::Point>& contour, int method, const cv::Mat& gray, const evidence& ev,
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
    int min_run = std::max(10, std::min(ev.size.width, ev.size.height) / 24);
    for (const auto& q : quads_from_lines(sparse, min_run)) consider(q, method, gray, ev, out);
}

struct outline {
    std::vector<cv::Point> points;
    int method;
};

void add_quads_from_contours(const std::vector<std::vector<cv::Point>>& contours, int method, const cv::Mat& gray,
                             const evidence& ev, std::vector<candidate>& out, std::vector<outline>& outlines) {
    const double min_area = kMinAreaFraction * ev.size.area();
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
            consider(q, method, gray, ev, out);
            break;
        }
    }
}

void edge_candidates(const cv::Mat& gray, const evidence& ev, std::vector<candidate>& out,
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
        add_quads_from_contours(contours, KTP_CARD_EDGES, gray, ev, out, outlines);
    }
}

// The card's blueness against its surroundings, whatever the light: B - R (ev.chroma) barely changes under a
// brightness gradient or glare's falloff, and Otsu on it splits the light-blue card from a neutral or warm
// background even when the card is too pale or the photo too tinted for the fixed light-blue range.
void chroma_mask_candidates(const cv::Mat& chroma, const cv::Mat& gray, const evidence& ev,
                            std::vector<candidate>& out, std::vector<outline>& outlines) {
    cv::Mat mask;
    cv::threshold(chroma, mask, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    cv::morphologyEx(mask, mask, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));
    cv::morphologyEx(mask, mask, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(15, 15)));
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    add_quads_from_contours(contours, KTP_CARD_COLOUR, gray, ev, out, outlines);
}

// Two measures of blueness: B - R as is, and relative to brightness (a card half in shadow stays one region).
void chroma_candidates(const cv::Mat& bgr, const cv::Mat& gray, const evidence& ev, std::vector<candidate>& out,
                       std::vector<outline>& outlines) {
    if (bgr.channels() != 3) return;
    cv::Mat absolute, relative(bgr.size(), CV_8U), blurred;
    cv::GaussianBlur(ev.chroma, absolute, cv::Size(7, 7), 0);
    chroma_mask_candidates(absolute, gray, ev, out, outlines);
    cv::GaussianBlur(bgr, blurred, cv::Size(7, 7), 0);
    for (int y = 0; y < blurred.rows; ++y) {
        const uint8_t* px = blurred.ptr<uint8_t>(y);
        uint8_t* c = relative.ptr<uint8_t>(y);
        for (int x = 0; x < blurred.cols; ++x) {
            const int b = px[3 * x], g = px[3 * x + 1], r = px[3 * x + 2];
            c[x] = cv::saturate_cast<uint8_t>(128.0f + 127.0f * (b - r) / (std::max({b, g, r}) + 16.0f));
        }
    }
    chroma_mask_candidates(relative, gray, ev, out, outlines);
}

void colour_candidates(const cv::Mat& bgr, const cv::Mat& gray, const evidence& ev,
                       std::vector<candidate>& out, std::vector<outline>& outlines) {
    if (bgr.channels() != 3) return;
    cv::Mat hsv, mask;
    cv::cvtColor(bgr, hsv, cv::COLOR_BGR2HSV);
    cv::inRange(hsv, kPrintLow, kPrintHigh, mask);
    cv::morphologyEx(mask, mask, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));
    cv::morphologyEx(mask, mask, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(21, 21)));
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    add_quads_from_contours(contours, KTP_CARD_COLOUR, gray, ev, out, outlines);
}

// A scan cropped to the card, or a digital render: the frame has the card's aspect and the card's light-blue print
// runs along all four sides. Searching such an image for an outline costs ~20 ms and finds none (or a text block);
// a photo shows its surroundings on some side, and a photo frame (4:3, 16:9) is not the card's shape.
bool fills_frame(const cv::Mat& bgr) {
    if (bgr.channels() != 3) return false;
    const double aspect = static_cast<double>(std::max(bgr.cols, bgr.rows)) / std::min(bgr.cols, bgr.rows);
    if (std::abs(std::log(aspect / kCardAspect)) > std::log(kTightCropAspectSlack)) return false;
    const double scale = std::min(1.0, 200.0 / std::max(bgr.cols, bgr.rows));
    cv::Mat small, hsv, print;
    cv::resize(bgr, small, cv::Size(), scale, scale, cv::INTER_AREA);
    cv::cvtColor(small, hsv, cv::COLOR_BGR2HSV);
    cv::inRange(hsv, kPrintLow, kPrintHigh, print);
    // Bands 1-3.5 % in from each side, over its middle 70 % (the corners are rounded, labels start further in).
    const int w = print.cols, h = print.rows;
    const int band_w = std::max(1, static_cast<int>(0.025 * w)), band_h = std::max(1, static_cast<int>(0.025 * h));
    const int in_x = static_cast<int>(0.01 * w), in_y = static_cast<int>(0.01 * h);
    const int along_x = static_cast<int>(0.15 * w), along_y = static_cast<int>(0.15 * h);
    const std::array<cv::Rect, 4> bands = {
        cv::Rect(along_x, in_y, w - 2 * along_x, band_h), cv::Rect(along_x, h - in_y - band_h, w - 2 * along_x, band_h),
        cv::Rect(in_x, along_y, band_w, h - 2 * along_y), cv::Rect(w - in_x - band_w, along_y, band_w, h - 2 * along_y)};
    return std::all_of(bands.begin(), bands.end(), [&](const cv::Rect& r) {
        return cv::countNonZero(print(r)) >= kTightCropPrintShare * r.area();
    });
}

quad full_frame(const cv::Size& size) {
    float w = static_cast<float>(size.width), h = static_cast<float>(size.height);
    quad q = {cv::Point2f(0, 0), cv::Point2f(w, 0), cv::Point2f(w, h), cv::Point2f(0, h)};
    if (h > w) q = {cv::Point2f(0, h), cv::Point2f(0, 0), cv::Point2f(w, 0), cv::Point2f(w, h)};
    return q;
}

void write_quad(const candidate& c, ktp_card_quad* out) {
    for (int i = 0; i < 4; ++i) {
        out->x[i] = c.corners[i].x;
        out->y[i] = c.corners[i].y;
    }
    out->score = c.score;
    out->method = c.method;
}

} // namespace

extern "C" ktp_status ktp_find_card(const ktp_image* image, ktp_card_quad* out) {
    return ktp::guarded([&] {
        ktp::require(out != nullptr, "out is null");
        const cv::Mat& m = ktp::mat_of(image);
        ktp::require(m.cols >= 16 && m.rows >= 16, "image is too small to search");
        if (fills_frame(m)) {
            write_quad(candidate{full_frame(m.size()), 0.0, KTP_CARD_FULL_FRAME}, out);
            return;
        }
        double scale = std::min(1.0, kWorkingLongSide / std::max(m.cols, m.rows));
        cv::Mat small;
        if (scale < 1.0)
            cv::resize(m, small, cv::Size(), scale, scale, cv::INTER_AREA);
        else
            small = m;
        cv::Mat gray = ktp::to_gray(small);
        const evidence ev = make_evidence(small);

        std::vector<candidate> candidates;
        std::vector<outline> outlines;
        edge_candidates(gray, ev, candidates, outlines);
        colour_candidates(small, gray, ev, candidates, outlines);
        chroma_candidates(small, gray, ev, candidates, outlines);
        auto best_score = [&] {
            double b = 0;
            for (const auto& c : candidates) b = std::max(b, c.score);
            return b;
        };
        // Line fits cost more than polygon approximation: only when no outline was already clearly a card.
        if (best_score() < kClearScore)
            for (const auto& o : outlines) consider_lines(o.points, o.method, gray, ev, candidates);
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
        write_quad(best, out);
    });
}
