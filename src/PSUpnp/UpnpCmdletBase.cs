using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Engine;

namespace PSUpnp.Commands
{
    /// <summary>
    /// The base of every PSUpnp cmdlet: owns the stop token (Ctrl+C cancels the engine call at once), runs one engine
    /// call at a time while relaying its trace and progress on the pipeline thread, and turns engine errors into
    /// ErrorRecords through <see cref="ErrorRecordFactory"/>.
    /// </summary>
    public abstract class UpnpCmdletBase : PSCmdlet, IDisposable
    {
        /// <summary>The engine's bound of one exchange (HttpLimits.DefaultTimeout), in whole seconds.</summary>
        public static readonly int DefaultTimeoutSec = (int)Net.HttpLimits.DefaultTimeout.TotalSeconds;

        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly PipelineOutbox _outbox = new PipelineOutbox();
        private readonly ITraceSink _trace;
        private bool _disposed;
        private UpnpEngine? _engine;

        protected UpnpCmdletBase()
        {
            // -Verbose shows one line per event, whatever line breaks a device put into what is traced.
            _trace = new OneLineTraceSink(_outbox);
        }

        /// <summary>
        /// Seconds that discovery (with the description reads) may take, and that each request to the gateway may take:
        /// the engine's one budget, passed to every exchange. A bound, not a wait: a call that is done ends sooner.
        /// </summary>
        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSec { get; set; } = DefaultTimeoutSec;

        protected TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSec);

        /// <summary>
        /// This run's façade, made at the first operation (-TimeoutSec is bound by then); its trace is relayed as verbose
        /// lines while <see cref="Perform"/> waits.
        /// </summary>
        private UpnpEngine Engine => _engine ??= new UpnpEngine(_trace, Timeout);

        /// <summary>
        /// One operation of the engine façade, the only way a cmdlet reaches the engine. It runs on a worker thread while
        /// the pipeline thread waits, writing the engine's trace as verbose lines and its progress records as they come;
        /// then its warnings are written and its value returned. The engine bounds its own exchanges with -TimeoutSec (a
        /// timeout is its UpnpTimeoutException); engine errors surface as UpnpException, Ctrl+C as PipelineStoppedException.
        /// </summary>
        private protected T Perform<T>(Func<UpnpEngine, CancellationToken, Task<OperationResult<T>>> operation)
        {
            var engine = Engine;
            var work = Task.Run(() => operation(engine, _stop.Token));

            // Work abandoned by Ctrl+C ends on its own; this observes its fault then.
            _ = work.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            OperationResult<T> result;
            try
            {
                _outbox.PumpUntil(work, _stop.Token, Emit);
                // The one synchronous wait of the module: PowerShell calls ProcessRecord on its pipeline thread and the
                // work has already ended here (PumpUntil returned), so this only unwraps its result or exception.
#pragma warning disable VSTHRD002
                result = work.GetAwaiter().GetResult();
#pragma warning restore VSTHRD002
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }

            foreach (var warning in result.Warnings)
            {
                WriteWarning(warning);
            }

            return result.Value;
        }

        /// <summary>A verbose line of the cmdlet's own, kept to one line like the engine's trace.</summary>
        protected void WriteTrace(string message) => WriteVerbose(OneLineTraceSink.Clean(message));

        /// <summary>Hands a progress record to the pipeline thread; safe from engine threads.</summary>
        protected IProgress<int> ProgressOf(Func<int, ProgressRecord> describe) => ProgressOf<int>(describe);

        /// <summary>The same for an engine that reports progress as its own type (Test-NatType's test steps).</summary>
        protected IProgress<T> ProgressOf<T>(Func<T, ProgressRecord> describe) => new RelayProgress<T>(_outbox, describe);

        /// <summary>Non-terminating: the pipeline goes on with the next object.</summary>
        protected void WriteUpnpError(UpnpException exception, object? inputObject) =>
            WriteError(ErrorRecordFactory.Create(exception, inputObject));

        /// <summary>Terminating: nothing further can be done in this pipeline (for example no gateway at all).</summary>
        protected void ThrowUpnpError(UpnpException exception, object? inputObject) =>
            ThrowTerminatingError(ErrorRecordFactory.Create(exception, inputObject));

        protected override void StopProcessing() => _stop.Cancel();

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (disposing && !_disposed)
            {
                _stop.Dispose();
                _outbox.Dispose();
            }

            _disposed = true;
        }

        private void Emit(object message)
        {
            if (message is ProgressRecord progress)
            {
                WriteProgress(progress);
            }
            else
            {
                WriteVerbose((string)message);
            }
        }

        private sealed class RelayProgress<T> : IProgress<T>
        {
            private readonly PipelineOutbox _outbox;
            private readonly Func<T, ProgressRecord> _describe;

            public RelayProgress(PipelineOutbox outbox, Func<T, ProgressRecord> describe)
            {
                _outbox = outbox;
                _describe = describe;
            }

            public void Report(T value) => _outbox.Post(_describe(value));
        }
    }
}
