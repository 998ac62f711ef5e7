// Shared by the shim's translation units: the image type behind the opaque handle and the exception guard.
#pragma once

#include <opencv2/core.hpp>

#include <exception>
#include <new>
#include <stdexcept>
#include <string>

#include "ktpshim.h"

struct ktp_image {
    cv::Mat mat; // CV_8UC1 or CV_8UC3 (BGR), always continuous rows owned by this handle
};

namespace ktp {

void set_error(const std::string& message);
void ensure_initialised();
void clear_error();

// A failure the caller can act on (bad argument, undecodable data), as opposed to a bug or exhaustion.
struct status_error : std::runtime_error {
    ktp_status status;
    status_error(ktp_status s, const std::string& m) : std::runtime_error(m), status(s) {}
};

[[noreturn]] inline void fail(ktp_status s, const std::string& message) { throw status_error(s, message); }

inline void require(bool condition, const char* message) {
    if (!condition) fail(KTP_INVALID_ARGUMENT, message);
}

inline const cv::Mat& mat_of(const ktp_image* image) {
    require(image != nullptr, "image is null");
    require(!image->mat.empty(), "image is empty");
    return image->mat;
}

inline ktp_image* wrap(cv::Mat mat) {
    auto* image = new ktp_image();
    image->mat = mat.isContinuous() ? mat : mat.clone();
    return image;
}

// Every extern "C" entry point runs its body through here: an exception crossing the C boundary ends the process.
template <class F>
ktp_status guarded(F&& body) noexcept {
    try {
        clear_error();
        ensure_initialised();
        body();
        return KTP_OK;
    } catch (const status_error& e) {
        set_error(e.what());
        return e.status;
    } catch (const std::bad_alloc&) {
        set_error("out of memory");
        return KTP_OUT_OF_MEMORY;
    } catch (const cv::Exception& e) {
        set_error(std::string("opencv: ") + e.what());
        return e.code == cv::Error::StsNoMem ? KTP_OUT_OF_MEMORY : KTP_INTERNAL;
    } catch (const std::exception& e) {
        set_error(e.what());
        return KTP_INTERNAL;
    } catch (...) {
        set_error("unknown native error");
        return KTP_INTERNAL;
    }
}

// Gray view of an image (shares pixels when already gray).
cv::Mat to_gray(const cv::Mat& m);

} // namespace ktp
