using System.Runtime.InteropServices;

namespace KtpFleet.Fleet.Storage.Images;

/// <summary>fsync of a directory, so a newly created file's name is durable; .NET has no managed way to do it.</summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0, Directory = 0x10000; // O_RDONLY, O_DIRECTORY (Linux)

    public static void Fsync(string path)
    {
        var fd = Open(path, ReadOnly | Directory);
        if (fd < 0) throw new IOException($"cannot open directory {path}: errno {Marshal.GetLastPInvokeError()}");
        try
        {
            if (FsyncFd(fd) != 0) throw new IOException($"fsync of directory {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FsyncFd(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
