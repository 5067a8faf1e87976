using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;

namespace PSPeer
{
    /// <summary>
    /// Brings nodes' event streams into the pipeline as events happen, until -Count events, -Timeout seconds,
    /// Ctrl+C, or every watched node has stopped.
    /// </summary>
    [Cmdlet(VerbsCommon.Watch, "PeerEvent")]
    [OutputType(typeof(PeerEvent))]
    public sealed class WatchPeerEventCommand : PSCmdlet
    {
        readonly PipelinePump _pump = new PipelinePump();
        readonly List<PeerNode> _nodes = new List<PeerNode>();

        /// <summary>Default: every node of the session.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PeerNode[] Node { get; set; }

        /// <summary>Event types to keep (wildcards allowed); default all.</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(PeerEventTypeCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Type { get; set; }

        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Count { get; set; }

        /// <summary>Seconds to watch.</summary>
        [Parameter]
        [ValidateRange(0.001, 86400 * 365)]
        public double Timeout { get; set; }

        // Nodes arrive one pipeline record at a time; watching starts once all of them are known.
        protected override void ProcessRecord()
        {
            if (Node != null)
                foreach (var node in Node)
                    if (!_nodes.Contains(node)) _nodes.Add(node);
        }

        protected override void EndProcessing()
        {
            var nodes = _nodes.Count > 0 || MyInvocation.BoundParameters.ContainsKey(nameof(Node)) ? _nodes.ToList() : NodeRegistry.GetNodes().ToList();
            if (nodes.Count == 0)
            {
                WriteVerbose("No nodes to watch.");
                return;
            }
            var patterns = Type?.Select(t => WildcardPattern.Get(t, WildcardOptions.IgnoreCase)).ToArray();
            int written = 0;
            var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            int running = nodes.Count;
            var subscriptions = new List<IDisposable>();
            try
            {
                foreach (var node in nodes)
                {
                    subscriptions.Add(node.Engine.Events.Subscribe(
                        e =>
                        {
                            if (patterns != null && !patterns.Any(p => p.IsMatch(e.Type))) return;
                            _pump.Post(() =>
                            {
                                if (Count > 0 && written >= Count) return;
                                written++;
                                WriteObject(e);
                                if (Count > 0 && written >= Count) done.TrySetResult(true);
                            });
                        },
                        error => { if (Interlocked.Decrement(ref running) == 0) done.TrySetResult(true); },
                        () => { if (Interlocked.Decrement(ref running) == 0) done.TrySetResult(true); }));
                }
                // A node that already stopped completes at once for a new subscriber (its subject has completed).
                using (var timeout = Timeout > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(Timeout)) : new CancellationTokenSource())
                {
                    _pump.Run(async ct =>
                    {
                        using (ct.Register(() => done.TrySetResult(false))) await done.Task;
                    }, timeout.Token);
                }
            }
            finally
            {
                foreach (var s in subscriptions) s.Dispose();
            }
        }

        protected override void StopProcessing() => _pump.Cancel();
    }
}
