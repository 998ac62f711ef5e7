namespace KtpFleet.Operator.Controller;

/// <summary>
/// client-go's work queue: an item is queued at most once however often it is added; an item being processed
/// is not handed out again until <see cref="Done"/>, and if it was added meanwhile it is queued then (so one
/// object is never reconciled concurrently and no change is lost). Failures requeue with per-item exponential backoff.
/// </summary>
public sealed class WorkQueue<T> : IDisposable where T : notnull
{
    private readonly Lock _gate = new();
    private readonly Queue<T> _queue = new();
    private readonly HashSet<T> _dirty = [];
    private readonly HashSet<T> _processing = [];
    private readonly Dictionary<T, int> _failures = [];
    private readonly Dictionary<T, long> _waiting = [];
    private readonly SemaphoreSlim _available = new(0);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;

    public WorkQueue(TimeSpan? baseDelay = null, TimeSpan? maxDelay = null)
    {
        _baseDelay = baseDelay ?? TimeSpan.FromMilliseconds(5);
        _maxDelay = maxDelay ?? TimeSpan.FromMinutes(5);
    }

    public int Count { get { lock (_gate) return _queue.Count; } }

    public void Add(T item)
    {
        lock (_gate)
        {
            if (_shutdown.IsCancellationRequested || !_dirty.Add(item)) return;
            if (_processing.Contains(item)) return;
            _queue.Enqueue(item);
        }
        _available.Release();
    }

    public void AddAfter(T item, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero) { Add(item); return; }
        var due = Environment.TickCount64 + (long)delay.TotalMilliseconds;
        lock (_gate)
        {
            // Like client-go's delaying queue: one pending timer per item, the earliest wins.
            if (_waiting.TryGetValue(item, out var pending) && pending <= due) return;
            _waiting[item] = due;
        }
        _ = Task.Delay(delay, _shutdown.Token).ContinueWith(t =>
        {
            if (t.IsCanceled) return;
            lock (_gate)
            {
                if (!_waiting.TryGetValue(item, out var d) || d != due) return;
                _waiting.Remove(item);
            }
            Add(item);
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Requeue after base × 2^failures (capped), counting the failure.</summary>
    public TimeSpan AddRateLimited(T item)
    {
        int n;
        lock (_gate) { _failures.TryGetValue(item, out n); _failures[item] = n + 1; }
        var delay = Backoff(n);
        AddAfter(item, delay);
        return delay;
    }

    public TimeSpan Backoff(int failures)
    {
        var ms = _baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 40));
        return ms >= _maxDelay.TotalMilliseconds ? _maxDelay : TimeSpan.FromMilliseconds(ms);
    }

    /// <summary>Stop tracking the item's failures (it succeeded).</summary>
    public void Forget(T item) { lock (_gate) _failures.Remove(item); }

    public int NumRequeues(T item) { lock (_gate) return _failures.GetValueOrDefault(item); }

    /// <summary>The next item, marked as processing; call <see cref="Done"/> when finished with it.</summary>
    public async Task<T> GetAsync(CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _shutdown.Token);
        while (true)
        {
            await _available.WaitAsync(linked.Token).ConfigureAwait(false);
            lock (_gate)
            {
                if (_queue.Count == 0) continue;
                var item = _queue.Dequeue();
                _processing.Add(item);
                _dirty.Remove(item);
                return item;
            }
        }
    }

    public void Done(T item)
    {
        bool requeued;
        lock (_gate)
        {
            _processing.Remove(item);
            requeued = _dirty.Contains(item);
            if (requeued) _queue.Enqueue(item);
        }
        if (requeued) _available.Release();
    }

    public void ShutDown() => _shutdown.Cancel();

    public void Dispose()
    {
        _shutdown.Cancel();
        _shutdown.Dispose();
        _available.Dispose();
    }
}
