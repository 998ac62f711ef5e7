using System.Runtime.InteropServices;

namespace KtpFleet.Ocr.Native;

/// <summary>
/// P/Invoke surface of libktpshim (worker/native/ktpshim/include/ktpshim.h). Only <see cref="ImageHandle"/> and
/// <see cref="ShimStatusCheck"/> use it; everything else goes through those.
/// </summary>
internal static unsafe partial class ShimNative
{
    public const int Ok = 0;
    public const int InvalidArgument = 1;
    public const int DecodeFailed = 2;
    public const int OutOfMemory = 3;

    public const int ThresholdOtsu = 0;
    public const int ThresholdAdaptive = 1;

    [StructLayout(LayoutKind.Sequential)]
    public struct ImageInfo
    {
        public int Width;
        public int Height;
        public int Channels;
        public int Stride;
        public IntPtr Data;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Rect
    {
        public int X, Y, Width, Height;

        public Rect(int x, int y, int width, int height) => (X, Y, Width, Height) = (x, y, width, height);
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct CardQuad
    {
        public fixed float X[4];
        public fixed float Y[4];
        public double Score;
        public int Method;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct LineParams
    {
        public int CloseWidth, MinHeight, MaxHeight, MinWidth;
    }

    [LibraryImport(NativeLibraries.Shim, EntryPoint = "ktp_last_error")]
    public static partial IntPtr LastError();

    [LibraryImport(NativeLibraries.Shim, EntryPoint = "ktp_version")]
    public static partial IntPtr Version();

    [LibraryImport(NativeLibraries.Shim, EntryPoint = "ktp_decode")]
    public static partial int Decode(byte* data, nuint length, out ImageHandle image);

    [LibraryImport(NativeLibraries.Shim, EntryPoint = "ktp_from_pixels")]
    public static partial int FromPixels(byte* data, int width, int height, int channels, int stride, out ImageHandle image);

    [LibraryImport(NativeLibraries.Shim, EntryPoint = "ktp_image_free")]
    public static partial void ImageFree(IntPtr image);

    [LibraryImport(NativeLibraries.Shim, EntryPoint = "ktp_image_info_get")]
    public static partial int ImageInfoGet(ImageHandle image, out ImageInfo info);

    [LibraryImport(NativeLibraries.Shim, EntryPoint = "ktp_gray")]
    public static partial int Gray(ImageHandle image, out ImageHandle result);

    [LibraryImport(NativeLibraries.Shim, EntryPoint = "ktp_orient")]
    public static partial int Orient(ImageHandle image, int quarterTurns, int mirror, out ImageHandle result);

    [LibraryImport(NativeLibraries.Shim, EntryPoint = "ktp_crop")]
    public static partial int Crop(ImageHandle image, Rect rect, out ImageHandle result);

    [LibraryImport(NativeLibraries.Shim, EntryPoint = "ktp_resize")]
    public static partial int Resize(ImageHandle image, int width, int height, out ImageHandle result);

    [LibraryImport(NativeLibraries.Shim, EntryPoint = "ktp_find_card")]
    public static partial int FindCard(ImageHandle image, out CardQuad quad);

    [LibraryImport(NativeLibraries.Shim, EntryPoint = "ktp_warp_quad")]
    public static partial int WarpQuad(ImageHandle image, float* xs, float* ys, int width, int height, out ImageHandle result);

    [LibraryImport(NativeLibraries.Shim, EntryPoint = "ktp_normalize_background")]
    public static partial int NormalizeBackground(ImageHandle image, out ImageHandle result);

    [LibraryImport(NativeLibraries.Shim, EntryPoint = "ktp_threshold")]
    public static partial int Threshold(ImageHandle image, int method, int blockSize, double c, out ImageHandle result);

    [LibraryImport(NativeLibraries.Shim, EntryPoint = "ktp_clahe")]
    public static partial int Clahe(ImageHandle image, double clipLimit, int tiles, out ImageHandle result);

    [LibraryImport(NativeLibraries.Shim, EntryPoint = "ktp_ink_grid")]
    public static partial int InkGrid(ImageHandle image, int cols, int rows, float* cells);

    [LibraryImport(NativeLibraries.Shim, EntryPoint = "ktp_find_text_lines")]
    public static partial int FindTextLines(ImageHandle image, Rect region, in LineParams parameters, Rect* boxes,
        int capacity, out int count);

    [LibraryImport(NativeLibraries.Shim, EntryPoint = "ktp_encode_png")]
    public static partial int EncodePng(ImageHandle image, out IntPtr data, out nuint length);

    [LibraryImport(NativeLibraries.Shim, EntryPoint = "ktp_buffer_free")]
    public static partial void BufferFree(IntPtr data);
}

/// <summary>Turns a shim status into the exception the caller should see.</summary>
internal static class ShimStatusCheck
{
    public static void ThrowIfFailed(int status, string operation)
    {
        if (status == ShimNative.Ok) return;
        var message = $"{operation}: {Marshal.PtrToStringUTF8(ShimNative.LastError()) ?? "no detail"}";
        throw status switch
        {
            ShimNative.InvalidArgument => new ArgumentException(message),
            ShimNative.DecodeFailed => new KtpImageException(ImageErrorCode.Corrupt, message),
            ShimNative.OutOfMemory => new InsufficientMemoryException(message),
            _ => new KtpNativeException(message),
        };
    }
}
