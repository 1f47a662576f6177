using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace FaceFunctions.Cli.Inputs;

/// <summary>What a path names once symbolic links are followed.</summary>
internal enum FileKind
{
    Missing,
    Regular,
    Directory,

    /// <summary>A FIFO, socket or device: opening one can block for ever or never end, so it is never opened.</summary>
    Special,

    /// <summary>The path cannot be examined (a link loop, no permission).</summary>
    Unreadable,
}

/// <summary>
/// A path's kind and identity, following links. .NET reports FIFOs and devices as ordinary files (and opening a
/// FIFO blocks until a writer appears), and it has no file identity, so on Linux this asks the kernel directly
/// (statx). The identity (device, inode) is what makes a folder walk visit each real file and folder once,
/// whatever links lead to it.
/// </summary>
internal readonly record struct FileNode(FileKind Kind, string Identity, string? Problem = null)
{
    private const int AtCurrentDirectory = -100;
    private const uint StatxType = 0x1, StatxInode = 0x100;
    private const int StatxBufferBytes = 256;
    private const int TypeMask = 0xF000, RegularType = 0x8000, DirectoryType = 0x4000;
    private const int NoSuchFile = 2, NotADirectory = 20, TooManyLinks = 40;

    public static FileNode Of(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Portable(path);
        }

        var buffer = new byte[StatxBufferBytes];
        if (Statx(AtCurrentDirectory, path, 0, StatxType | StatxInode, buffer) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            return error is NoSuchFile or NotADirectory
                ? new FileNode(FileKind.Missing, "")
                : new FileNode(FileKind.Unreadable, "", error == TooManyLinks ? "too many levels of symbolic links" : Marshal.GetPInvokeErrorMessage(error));
        }

        int mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(28)) & TypeMask;
        ulong inode = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(32));
        ulong device = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(136)) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(140));
        FileKind kind = mode switch
        {
            RegularType => FileKind.Regular,
            DirectoryType => FileKind.Directory,
            _ => FileKind.Special,
        };
        return new FileNode(kind, $"{device}:{inode}");
    }

    /// <summary>
    /// Elsewhere, what .NET can tell: no special files (they look regular) and, as identity, the fully resolved
    /// path, which still breaks directory loops.
    /// </summary>
    private static FileNode Portable(string path)
    {
        try
        {
            FileSystemInfo info = Directory.Exists(path) ? new DirectoryInfo(path) : new FileInfo(path);
            if (!info.Exists)
            {
                return new FileNode(FileKind.Missing, "");
            }

            string resolved = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
            return new FileNode(info is DirectoryInfo ? FileKind.Directory : FileKind.Regular, Path.GetFullPath(resolved));
        }
        catch (IOException ex)
        {
            return new FileNode(FileKind.Unreadable, "", ex.Message);
        }
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
