using System;
using System.Threading;
using System.Threading.Tasks;
using PSPeer.Engine.Core;
using PSPeer.Engine.Runtime.Live;
using Xunit;

namespace PSPeer.Engine.Tests.Core
{
    public class PeerNodeBaseTests
    {
        static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

        // A node whose start waits until the test lets it finish, and which counts its stops.
        sealed class GatedNode : PeerNodeBase
        {
            public GatedNode() : base(LiveRuntime.Loopback, "gated", "Test", "Node") { }
            public readonly TaskCompletionSource<bool> FinishStart = new TaskCompletionSource<bool>();
            public int Stops;
            protected override Task OnStartAsync(CancellationToken cancellationToken) => FinishStart.Task;
            protected override Task OnStopAsync() { Interlocked.Increment(ref Stops); return Task.CompletedTask; }
        }

        [Fact]
        public async Task A_stop_during_start_wins_and_the_start_reports_cancellation()
        {
            var node = new GatedNode();
            var start = node.StartAsync();
            Assert.Equal(NodeState.Starting, node.State);

            await node.StopAsync().WaitAsync(Timeout);
            node.FinishStart.SetResult(true);

            await Assert.ThrowsAsync<OperationCanceledException>(() => start.WaitAsync(Timeout));
            Assert.Equal(NodeState.Stopped, node.State);
            Assert.Equal(2, node.Stops);   // by StopAsync, then again for whatever the start brought up after it
        }

        [Fact]
        public async Task A_start_that_finishes_undisturbed_is_Running_and_stops_once()
        {
            var node = new GatedNode();
            var start = node.StartAsync();
            node.FinishStart.SetResult(true);
            await start.WaitAsync(Timeout);
            Assert.Equal(NodeState.Running, node.State);

            await node.StopAsync().WaitAsync(Timeout);
            await node.StopAsync().WaitAsync(Timeout);
            Assert.Equal(NodeState.Stopped, node.State);
            Assert.Equal(1, node.Stops);
        }
    }
}
