using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace PSUpnp.Commands
{
    /// <summary>
    /// Carries what the engine says from its threads to the pipeline thread, the only thread allowed to call
    /// WriteVerbose and WriteProgress. Producers enqueue from anywhere; the cmdlet pumps while it waits.
    /// </summary>
    internal sealed class PipelineOutbox : ITraceSink, IDisposable
    {
        private readonly ConcurrentQueue<object> _messages = new ConcurrentQueue<object>();
        private readonly SemaphoreSlim _signal = new SemaphoreSlim(0);

        public void Trace(string message) => Post(message);

        public void Post(ProgressRecord record) => Post((object)record);

        /// <summary>
        /// Blocks until <paramref name="work"/> ends, handing each message to <paramref name="write"/> on this thread.
        /// Throws OperationCanceledException as soon as <paramref name="stop"/> fires, without waiting for the work.
        /// </summary>
        public void PumpUntil(Task work, CancellationToken stop, Action<object> write)
        {
            _ = work.ContinueWith(_ => Wake(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            while (!work.IsCompleted)
            {
                _signal.Wait(stop);
                Drain(write);
            }

            Drain(write);
        }

        public void Drain(Action<object> write)
        {
            while (_messages.TryDequeue(out var message))
            {
                write(message);
            }
        }

        public void Dispose() => _signal.Dispose();

        private void Post(object message)
        {
            _messages.Enqueue(message);
            Wake();
        }

        private void Wake()
        {
            try
            {
                _signal.Release();
            }
            catch (ObjectDisposedException)
            {
                // Work abandoned by Ctrl+C may still trace after the cmdlet is disposed; nobody listens any more.
            }
        }
    }
}
