using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Microsoft.Win32.SafeHandles;

namespace KtpFleet.Fleet.Storage.Images;

/// <summary>
/// Upload bytes appended to segment files with group commit: concurrent puts are written together and made durable
/// by one fsync, so durability costs one disk flush per batch instead of one per image (a 200 KB bytea through
/// PostgreSQL is written twice, WAL and heap, each upload with its own commit flush). Each record carries its job
/// id, length and SHA-256, checked on every read. Segments are only ever appended to by the process that created
/// them and are never rewritten: a crash leaves at most a torn tail that no reference points into, because a
/// reference is handed out only after its fsync. The root must be shared by the API and the workers (local disk
/// for one machine, a ReadWriteMany volume in a cluster). Records start at <see cref="Alignment"/>-byte boundaries
/// and are written with O_DIRECT where the file system allows it (<see cref="SegmentFileCalls.CreateNew"/>).
/// </summary>
public sealed partial class SegmentImageStore : IImageStore, IAsyncDisposable
{
    public const string SchemeName = "seg";
    private const int HeaderSize = 4 + 4 + 16 + 4 + 32;
    private const int MaxBatchItems = 256;
    private const long MaxBatchBytes = 32L << 20;

    /// <summary>Record starts and lengths on disk are multiples of this (what O_DIRECT asks of a 4 KiB-sector disk).</summary>
    public const int Alignment = 4096;
    private static ReadOnlySpan<byte> Magic => "KTPI"u8;

    private readonly string _root;
    private readonly long _segmentBytes;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private readonly AlignedStaging _staging = new();
    private readonly bool _tryDirectWrites;
    private readonly TimeSpan _maxSegmentAge;
    private DateTime _segmentOpenedAt;
    private FileStream? _segment;
    private string _segmentName = "";
    private long _offset;

    private sealed record PendingWrite(byte[] Header, ReadOnlyMemory<byte> Image, TaskCompletionSource<string> Done);

    /// <param name="root">the directory that holds the segments (created if missing)</param>
    /// <param name="segmentBytes">size after which a new segment is started</param>
    public SegmentImageStore(string root, long segmentBytes = 1L << 30) : this(root, segmentBytes, TimeSpan.FromHours(1), tryDirectWrites: true)
    {
    }

    /// <param name="maxSegmentAge">age after which the next write starts a new segment (see <see cref="ExpireAsync"/>)</param>
    /// <param name="tryDirectWrites">false: buffered writes, as on a file system that refuses O_DIRECT (tests)</param>
    internal SegmentImageStore(string root, long segmentBytes, TimeSpan maxSegmentAge, bool tryDirectWrites)
    {
        _maxSegmentAge = maxSegmentAge;
        _tryDirectWrites = tryDirectWrites;
        _root = Path.GetFullPath(root);
        _segmentBytes = segmentBytes;
        Directory.CreateDirectory(_root);
        _writer = Task.Run(WriteLoopAsync);
    }

    public string Scheme => SchemeName;

    private long _flushes, _records;

    /// <summary>Flushes performed and records written: how well group commit batches (tests, the load benchmark).</summary>
    public long Flushes => Interlocked.Read(ref _flushes);
    public long Records => Interlocked.Read(ref _records);

    /// <summary>Whether the current segment is written with O_DIRECT (null before the first write).</summary>
    public bool? WritesDirect { get; private set; }

    public Task<string> PutAsync(Guid jobId, ReadOnlyMemory<byte> image, byte[] sha256, CancellationToken ct = default)
    {
        if (sha256.Length != 32) throw new ArgumentException("a SHA-256 is 32 bytes", nameof(sha256));
        var header = new byte[HeaderSize];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), 1); // record format version
        jobId.TryWriteBytes(header.AsSpan(8, 16));
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(24), image.Length);
        sha256.CopyTo(header.AsSpan(28, 32));
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new PendingWrite(header, image, done)))
            throw new ObjectDisposedException(nameof(SegmentImageStore));
        // Deliberately not cancellable: the caller may reuse the bytes' buffer as soon as this completes, so it
        // must not complete before the writer is done with them. A write is bounded by the disk, not the client.
        return done.Task;
    }

    public async Task<byte[]?> GetAsync(Guid jobId, string imageRef, CancellationToken ct = default)
    {
        var (name, offset, length) = Parse(imageRef);
        var path = Path.Combine(_root, name);
        if (!File.Exists(path)) return null;
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var record = new byte[HeaderSize + length];
        var read = 0;
        while (read < record.Length)
        {
            var n = await RandomAccess.ReadAsync(handle, record.AsMemory(read), offset + read, ct);
            if (n == 0) throw new ImageStoreCorruptException($"{imageRef}: the segment ends inside the record");
            read += n;
        }
        var header = record.AsSpan(0, HeaderSize);
        if (!header[..4].SequenceEqual(Magic) || new Guid(header.Slice(8, 16)) != jobId ||
            BinaryPrimitives.ReadInt32LittleEndian(header[24..]) != length)
            throw new ImageStoreCorruptException($"{imageRef}: the record header does not match job {jobId}");
        var payload = record.AsSpan(HeaderSize);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(header.Slice(28, 32)))
            throw new ImageStoreCorruptException($"{imageRef}: the stored bytes fail their SHA-256");
        return payload.ToArray();
    }

    /// <summary>Segments are append-only; a discarded record's space returns with its segment.</summary>
    public Task DiscardAsync(Guid jobId, string imageRef, CancellationToken ct = default) => Task.CompletedTask;

    /// <summary>
    /// Deletes whole segments last written before <paramref name="before"/>, whoever wrote them (every API replica
    /// may run this over the shared directory). A writer never appends to a segment older than its maximum age
    /// (an hour), so with a retention of a day or more no segment still being written can qualify.
    /// </summary>
    public Task<long> ExpireAsync(DateTimeOffset before, CancellationToken ct = default)
    {
        long deleted = 0;
        foreach (var path in Directory.EnumerateFiles(_root, "*.seg"))
        {
            ct.ThrowIfCancellationRequested();
            var name = Path.GetFileName(path);
            if (name == Volatile.Read(ref _segmentName) || File.GetLastWriteTimeUtc(path) >= before.UtcDateTime) continue;
            File.Delete(path);
            deleted++;
        }
        return Task.FromResult(deleted);
    }

    /// <summary><c>seg:&lt;segment&gt;@&lt;record offset&gt;+&lt;payload length&gt;</c></summary>
    internal static (string Segment, long Offset, int Length) Parse(string imageRef)
    {
        var m = RefPattern().Match(imageRef);
        if (!m.Success || !long.TryParse(m.Groups[2].ValueSpan, out var offset) || !int.TryParse(m.Groups[3].ValueSpan, out var length))
            throw new ImageStoreCorruptException($"not a segment image reference: '{imageRef}'");
        return (m.Groups[1].Value, offset, length);
    }

    [GeneratedRegex(@"^seg:([0-9]{8}T[0-9]{6}-[0-9a-f]{12}\.seg)@([0-9]{1,15})\+([0-9]{1,9})$")]
    private static partial Regex RefPattern();

    private static long Padded(long bytes) => (bytes + Alignment - 1) & ~(long)(Alignment - 1);

    private static long RecordBytes(PendingWrite w) => Padded(HeaderSize + w.Image.Length);

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(MaxBatchItems);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            long bytes = 0;
            // One oversized image still makes a batch of its own.
            while (batch.Count < MaxBatchItems && _queue.Reader.TryPeek(out var w) && (batch.Count == 0 || bytes + RecordBytes(w) <= MaxBatchBytes))
            {
                _queue.Reader.TryRead(out _);
                batch.Add(w);
                bytes += RecordBytes(w);
            }
            try
            {
                var start = WriteDurably(batch, bytes);
                Interlocked.Increment(ref _flushes);
                Interlocked.Add(ref _records, batch.Count);
                var at = start;
                foreach (var w in batch)
                {
                    w.Done.TrySetResult($"{SchemeName}:{_segmentName}@{at}+{w.Image.Length}");
                    at += RecordBytes(w);
                }
            }
            catch (Exception e)
            {
                // The tail of this segment is now unknown: start a fresh one, and let these uploads fail (a 503).
                CloseSegment();
                foreach (var w in batch) w.Done.TrySetException(e);
            }
        }
        CloseSegment();
    }

    /// <summary>The batch's records side by side in the aligned staging buffer, one write, one fsync.</summary>
    /// <returns>the offset of the first record</returns>
    private long WriteDurably(List<PendingWrite> batch, long bytes)
    {
        var staging = _staging.Get(checked((int)bytes));
        var at = 0;
        foreach (var w in batch)
        {
            var record = staging.Slice(at, (int)RecordBytes(w));
            w.Header.CopyTo(record);
            w.Image.Span.CopyTo(record[HeaderSize..]);
            record[(HeaderSize + w.Image.Length)..].Clear();
            at += record.Length;
        }
        var segment = OpenSegment(bytes);
        var start = _offset;
        RandomAccess.Write(segment.SafeFileHandle, staging, start);
        segment.Flush(flushToDisk: true);
        _offset += bytes;
        return start;
    }

    private FileStream OpenSegment(long incoming)
    {
        if (_segment is not null && _offset + incoming <= _segmentBytes && DateTime.UtcNow - _segmentOpenedAt < _maxSegmentAge) return _segment;
        CloseSegment();
        _segmentName = $"{DateTime.UtcNow:yyyyMMdd'T'HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.seg";
        var (handle, direct) = SegmentFileCalls.CreateNew(Path.Combine(_root, _segmentName), _tryDirectWrites);
        // Unbuffered: writes go through RandomAccess at explicit offsets; the stream is there for its fsync.
        _segment = new FileStream(handle, FileAccess.Write, bufferSize: 0);
        WritesDirect = direct;
        _segmentOpenedAt = DateTime.UtcNow;
        _offset = 0;
        // The new name must survive a crash too, not only the bytes behind it.
        SegmentFileCalls.FsyncDirectory(_root);
        return _segment;
    }

    private void CloseSegment()
    {
        try { _segment?.Dispose(); } catch (IOException) { /* the next segment is a fresh file */ }
        _segment = null;
    }

    /// <summary>
    /// A reusable write buffer at an <see cref="Alignment"/>-aligned address, as O_DIRECT needs: a pinned array
    /// (never moved by the GC), so neither unsafe code nor native memory to free. Kept at the largest batch seen.
    /// </summary>
    private sealed class AlignedStaging
    {
        private byte[] _array = [];
        private int _start;

        public Span<byte> Get(int length)
        {
            if (_array.Length - _start < length)
            {
                _array = GC.AllocateUninitializedArray<byte>(length + Alignment, pinned: true);
                var address = (long)System.Runtime.InteropServices.Marshal.UnsafeAddrOfPinnedArrayElement(_array, 0);
                _start = (int)((Alignment - address % Alignment) % Alignment);
            }
            return _array.AsSpan(_start, length);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }
}
