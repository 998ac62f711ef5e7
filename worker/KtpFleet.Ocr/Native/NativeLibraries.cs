using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace KtpFleet.Ocr.Native;

/// <summary>
/// The one place that maps this assembly's library names to files. Runtime machines have only the versioned sonames
/// (libtesseract.so.5, liblept.so.5); our shim sits next to the assemblies. .NET allows one resolver per assembly,
/// so every P/Invoke declaration in KtpFleet.Ocr goes through here.
/// </summary>
internal static class NativeLibraries
{
    public const string Tesseract = "tesseract";
    public const string Leptonica = "lept";
    public const string Shim = "ktpshim";

#pragma warning disable CA2255 // a library's resolver and OMP limit must be in place before any host code runs
    [ModuleInitializer]
    internal static void Register()
    {
        // Must precede the first load of libtesseract (and so of libgomp), whoever hosts this assembly.
        OmpThreadLimit.Ensure();
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);
    }
#pragma warning restore CA2255

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        string[] candidates = name switch
        {
            Tesseract => ["libtesseract.so.5", "libtesseract.so"],
            Leptonica => ["liblept.so.5", "libleptonica.so.6", "liblept.so"],
            Shim => [Path.Combine(AppContext.BaseDirectory, "libktpshim.so"), "libktpshim.so"],
            _ => [],
        };
        foreach (var candidate in candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle)) return handle;
        }
        return IntPtr.Zero; // falls back to the default probing, which then throws DllNotFoundException
    }
}

/// <summary>
/// Debian's libtesseract uses OpenMP; unlimited it runs 4 LSTM threads per call and is 7-8x slower on 2 cores.
/// libgomp reads OMP_THREAD_LIMIT from the native environment when it loads, and .NET's
/// Environment.SetEnvironmentVariable does not reach that environment, so we call libc's setenv.
/// </summary>
internal static partial class OmpThreadLimit
{
    public const string Variable = "OMP_THREAD_LIMIT";

    public static void Ensure()
    {
        if (!string.IsNullOrEmpty(NativeGetenv(Variable))) return;
        _ = setenv(Variable, "1", 0);
    }

    /// <summary>The value libgomp will see (the native environment, not .NET's copy).</summary>
    public static string? NativeGetenv(string name) => Marshal.PtrToStringUTF8(getenv(name));

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getenv(string name);
}
