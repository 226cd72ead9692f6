namespace NecroCode.AgentRunner.Processes;

/// <summary>
/// Waits for natively started children and reaps them, each on a thread of a small cached pool: a thread blocks in
/// <c>waitpid</c> for one child at a time and, once done, waits for the next child before it ends after a while
/// of idleness. (The runtime reaps only the children <see cref="System.Diagnostics.Process"/> started; starting a
/// thread per child would cost more than the child.)
/// </summary>
internal static class ChildReaper
{
    private static readonly TimeSpan IdleLifetime = TimeSpan.FromSeconds(30);
    private static readonly Lock Gate = new();
    private static readonly List<Worker> Idle = [];

    /// <summary>Completes with how the child ended once it has exited.</summary>
    /// <param name="processId">A child of this process that nobody else waits for.</param>
    /// <returns>The exit.</returns>
    public static Task<ChildExit> WaitAsync(int processId)
    {
        var done = new TaskCompletionSource<ChildExit>(TaskCreationOptions.RunContinuationsAsynchronously);
        Worker? worker = null;
        lock (Gate)
        {
            if (Idle.Count > 0)
            {
                worker = Idle[^1];
                Idle.RemoveAt(Idle.Count - 1);
            }
        }

        if (worker is null)
        {
            worker = new Worker();
            worker.Start();
        }

        worker.Assign(processId, done);
        return done.Task;
    }

    private sealed class Worker
    {
        private readonly object _handOver = new();
        private bool _hasWork;
        private int _processId;
        private TaskCompletionSource<ChildExit>? _done;

        public void Start() => new Thread(Run, maxStackSize: 256 * 1024) { IsBackground = true, Name = "NecroCode child reaper" }.Start();

        public void Assign(int processId, TaskCompletionSource<ChildExit> done)
        {
            lock (_handOver)
            {
                (_processId, _done, _hasWork) = (processId, done, true);
                Monitor.Pulse(_handOver);
            }
        }

        /// <summary>Waits until a child is handed over; false when none came within <paramref name="timeout"/>.</summary>
        private bool WaitForWork(TimeSpan timeout)
        {
            lock (_handOver)
            {
                if (!_hasWork && timeout != Timeout.InfiniteTimeSpan)
                {
                    Monitor.Wait(_handOver, timeout);
                }

                while (!_hasWork && timeout == Timeout.InfiniteTimeSpan)
                {
                    Monitor.Wait(_handOver);
                }

                var has = _hasWork;
                _hasWork = false;
                return has;
            }
        }

        private void Run()
        {
            while (true)
            {
                if (!WaitForWork(IdleLifetime))
                {
                    lock (Gate)
                    {
                        if (Idle.Remove(this))
                        {
                            return;
                        }
                    }

                    // Taken from the idle list just now: the child is being handed over.
                    WaitForWork(Timeout.InfiniteTimeSpan);
                }

                var done = _done!;
                try
                {
                    done.SetResult(PosixSpawn.WaitForExit(_processId));
                }
#pragma warning disable CA1031 // Whatever waiting fails with belongs to the one waiting for this child.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    done.SetException(ex);
                }

                _done = null;
                lock (Gate)
                {
                    Idle.Add(this);
                }
            }
        }
    }
}
