using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace KtpFleet.Fleet.Storage.Images;

/// <summary>
/// The two file calls the segment store needs that .NET has no managed form of: creating a file for direct
/// (page-cache-bypassing) writes, and fsync of a directory so a newly created file's name is durable. A segment's own
/// fsync is the runtime's (<see cref="FileStream.Flush(bool)"/>).
/// </summary>
internal static partial class SegmentFileCalls
{
    private const int ReadOnly = 0, WriteOnly = 1, Create = 0x40, Exclusive = 0x80, CloseOnExec = 0x80000; // Linux, all architectures
    private const int InvalidArgument = 22; // EINVAL: the file system does not do O_DIRECT (some FUSE and network mounts, tmpfs before Linux 6.6)

    // O_DIRECTORY and O_DIRECT are the two flags whose values differ between Linux architectures.
    private static int DirectoryFlag => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;
    private static int DirectFlag => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x10000 : 0x4000;

    /// <summary>
    /// Creates a new file for writing, with O_DIRECT where the file system supports it: segment bytes are written
    /// once and read back by another process later, so copying them through the page cache only costs the writer
    /// CPU (the kernel's copy was ~20% of the API's CPU under load, docs/load.md).
    /// </summary>
    /// <returns>the handle, and whether writes to it bypass the page cache (then offsets, lengths and buffers must
    /// be aligned to <see cref="SegmentImageStore.Alignment"/>)</returns>
    public static (SafeFileHandle Handle, bool Direct) CreateNew(string path, bool tryDirect = true)
    {
        var flags = WriteOnly | Create | Exclusive | CloseOnExec;
        var fd = tryDirect ? Open(path, flags | DirectFlag, 420 /* 0644 */) : -1;
        var direct = fd >= 0;
        if (!tryDirect || fd < 0 && Marshal.GetLastPInvokeError() == InvalidArgument)
            fd = Open(path, flags, 420);
        if (fd < 0) throw new IOException($"cannot create {path}: errno {Marshal.GetLastPInvokeError()}");
        return (new SafeFileHandle(fd, ownsHandle: true), direct);
    }

    public static void FsyncDirectory(string path)
    {
        var fd = Open(path, ReadOnly | DirectoryFlag, 0);
        if (fd < 0) throw new IOException($"cannot open directory {path}: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of directory {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
