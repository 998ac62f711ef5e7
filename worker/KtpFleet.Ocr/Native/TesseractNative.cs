using System.Runtime.InteropServices;

namespace KtpFleet.Ocr.Native;

/// <summary>
/// P/Invoke into Tesseract's C API (tesseract/capi.h, 5.3). C BOOL is int; enums pass as int; strings are UTF-8.
/// Every char* Tesseract returns is ours to free with TessDeleteText: <see cref="TakeText"/> does that.
/// </summary>
internal static partial class TesseractNative
{
    private const string Lib = NativeLibraries.Tesseract;

    public const int OemLstmOnly = 1;
    public const int LevelTextLine = 2;
    public const int LevelWord = 3;
    public const int LevelSymbol = 4;

    [LibraryImport(Lib)] public static partial IntPtr TessVersion();
    [LibraryImport(Lib)] public static partial void TessDeleteText(IntPtr text);

    [LibraryImport(Lib)] public static partial TessApiHandle TessBaseAPICreate();
    [LibraryImport(Lib)] public static partial void TessBaseAPIDelete(IntPtr handle);
    [LibraryImport(Lib)] public static partial void TessBaseAPIEnd(IntPtr handle);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TessBaseAPIInit2(TessApiHandle handle, string dataPath, string language, int oem);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TessBaseAPISetVariable(TessApiHandle handle, string name, string value);

    [LibraryImport(Lib)] public static partial void TessBaseAPISetPageSegMode(TessApiHandle handle, int mode);

    [LibraryImport(Lib)]
    public static partial void TessBaseAPISetImage(
        TessApiHandle handle, IntPtr imageData, int width, int height, int bytesPerPixel, int bytesPerLine);

    [LibraryImport(Lib)] public static partial void TessBaseAPISetSourceResolution(TessApiHandle handle, int ppi);
    [LibraryImport(Lib)] public static partial void TessBaseAPISetRectangle(TessApiHandle handle, int left, int top, int width, int height);
    [LibraryImport(Lib)] public static partial int TessBaseAPIRecognize(TessApiHandle handle, IntPtr monitor);
    [LibraryImport(Lib)] public static partial IntPtr TessBaseAPIGetUTF8Text(TessApiHandle handle);
    [LibraryImport(Lib)] public static partial int TessBaseAPIMeanTextConf(TessApiHandle handle);
    [LibraryImport(Lib)] public static partial void TessBaseAPIClear(TessApiHandle handle);

    [LibraryImport(Lib)] public static partial TessResultIteratorHandle TessBaseAPIGetIterator(TessApiHandle handle);
    [LibraryImport(Lib)] public static partial void TessResultIteratorDelete(IntPtr handle);
    [LibraryImport(Lib)] public static partial int TessResultIteratorNext(TessResultIteratorHandle handle, int level);
    [LibraryImport(Lib)] public static partial IntPtr TessResultIteratorGetUTF8Text(TessResultIteratorHandle handle, int level);
    [LibraryImport(Lib)] public static partial float TessResultIteratorConfidence(TessResultIteratorHandle handle, int level);
    /// <summary>Borrowed from the result iterator: never freed on its own.</summary>
    [LibraryImport(Lib)] public static partial IntPtr TessResultIteratorGetPageIterator(TessResultIteratorHandle handle);

    [LibraryImport(Lib)]
    public static partial int TessPageIteratorBoundingBox(IntPtr pageIterator, int level, out int left, out int top, out int right, out int bottom);

    [LibraryImport(Lib)] public static partial int TessPageIteratorIsAtBeginningOf(IntPtr pageIterator, int level);

    /// <summary>Copies a Tesseract-owned UTF-8 string and frees it.</summary>
    public static string TakeText(IntPtr text)
    {
        if (text == IntPtr.Zero) return string.Empty;
        try { return Marshal.PtrToStringUTF8(text) ?? string.Empty; }
        finally { TessDeleteText(text); }
    }
}

/// <summary>A TessBaseAPI*; releasing it ends the engine and deletes it.</summary>
internal sealed class TessApiHandle : SafeHandle
{
    public TessApiHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        TesseractNative.TessBaseAPIEnd(handle);
        TesseractNative.TessBaseAPIDelete(handle);
        return true;
    }
}

/// <summary>A TessResultIterator*; the page iterator taken from it is borrowed and dies with it.</summary>
internal sealed class TessResultIteratorHandle : SafeHandle
{
    public TessResultIteratorHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        TesseractNative.TessResultIteratorDelete(handle);
        return true;
    }
}
