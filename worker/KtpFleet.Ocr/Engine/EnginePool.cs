using System.Collections.Concurrent;

namespace KtpFleet.Ocr.Engine;

/// <summary>
/// A warm pool of engines, created once and reused: one per core by default, since each recognition is
/// single-threaded (OMP_THREAD_LIMIT=1) and more engines than cores only adds latency. An engine is lent to one
/// caller at a time; a lease returns it. An engine whose recognition threw is replaced, not returned.
/// </summary>
public sealed class EnginePool : IDisposable
{
    private readonly ConcurrentBag<TesseractEngine> _idle = [];
    private readonly SemaphoreSlim _available;
    private readonly Func<TesseractEngine> _factory;
    private int _busy;
    private int _lost;
    private int _replaced;
    private bool _disposed;

    public int Size { get; }
    public string TessdataVersion { get; }
    public int Busy => Volatile.Read(ref _busy);
    public int Idle => Size - Busy;
    /// <summary>Engines retired after a faulted lease and replaced by a new one since the pool was built.</summary>
    public int Replaced => Volatile.Read(ref _replaced);

    public EnginePool(TessdataSet tessdata, int size = 0, string? language = null)
        : this(() => TesseractEngine.Create(tessdata, language), size <= 0 ? Environment.ProcessorCount : size, tessdata.Version)
    {
    }

    private EnginePool(Func<TesseractEngine> factory, int size, string tessdataVersion)
    {
        _factory = factory;
        Size = size;
        TessdataVersion = tessdataVersion;
        _available = new SemaphoreSlim(size, size);
        try
        {
            for (var i = 0; i < size; i++) _idle.Add(factory());
        }
        catch
        {
            DisposeEngines();
            throw;
        }
    }

    /// <summary>Waits for a free engine.</summary>
    public async ValueTask<EngineLease> RentAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _available.WaitAsync(ct).ConfigureAwait(false);
        return TakeIdle();
    }

    public EngineLease Rent(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _available.Wait(ct);
        return TakeIdle();
    }

    private EngineLease TakeIdle()
    {
        if (!_idle.TryTake(out var engine))
        {
            _available.Release();
            throw new InvalidOperationException("engine pool is inconsistent: a slot was free but no engine was idle");
        }
        Interlocked.Increment(ref _busy);
        return new EngineLease(this, engine);
    }

    internal void Return(TesseractEngine engine, bool faulted)
    {
        if (faulted || _disposed)
        {
            engine.Dispose();
            if (!_disposed)
            {
                try
                {
                    engine = _factory();
                    Interlocked.Increment(ref _replaced);
                }
                catch
                {
                    // A replacement that cannot be built shrinks the pool rather than taking it down; health says so.
                    Interlocked.Decrement(ref _busy);
                    Interlocked.Increment(ref _lost);
                    return;
                }
            }
        }
        if (_disposed) engine.Dispose(); else _idle.Add(engine);
        Interlocked.Decrement(ref _busy);
        _available.Release();
    }

    /// <summary>Healthy while every slot has a working engine (none lost to a failed replacement).</summary>
    public bool IsHealthy => !_disposed && Volatile.Read(ref _lost) == 0;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        DisposeEngines();
    }

    private void DisposeEngines()
    {
        while (_idle.TryTake(out var engine)) engine.Dispose();
    }
}

/// <summary>Exclusive use of one engine until disposed. Call <see cref="MarkFaulted"/> if the engine misbehaved.</summary>
public sealed class EngineLease : IDisposable
{
    private readonly EnginePool _pool;
    private TesseractEngine? _engine;
    private bool _faulted;

    internal EngineLease(EnginePool pool, TesseractEngine engine)
    {
        _pool = pool;
        _engine = engine;
    }

    public TesseractEngine Engine => _engine ?? throw new ObjectDisposedException(nameof(EngineLease));

    public void MarkFaulted() => _faulted = true;

    public void Dispose()
    {
        var engine = Interlocked.Exchange(ref _engine, null);
        if (engine is not null) _pool.Return(engine, _faulted);
    }
}
