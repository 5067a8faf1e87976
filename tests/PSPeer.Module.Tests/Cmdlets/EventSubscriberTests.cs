using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>
    /// An event subscriber a PowerShell user writes never reaches the node: a scriptblock observer of
    /// Get-PeerEventStream (no runspace on the thread that delivers) is unsubscribed and reported, the index server
    /// goes on logging peers in, Stop-PeerNode reports nothing; PeerNode raises a .NET event (EventReceived) for
    /// Register-ObjectEvent.
    /// </summary>
    public class EventSubscriberTests : IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();

        [Fact]
        public void A_scriptblock_observer_of_Get_PeerEventStream_never_breaks_the_node()
        {
            var result = _session.Run(@"
                $index = Start-PeerNode -Protocol Napster -Role IndexServer
                $script:calls = 0
                $subscription = [System.ObservableExtensions]::Subscribe((Get-PeerEventStream $index),
                    [Action[PSPeer.Engine.Core.PeerEvent]] { param($e) $script:calls++ })
                $first  = Start-PeerNode -Protocol Napster -IndexServer $index -Name first
                $second = Start-PeerNode -Protocol Napster -IndexServer $index -Name second
                $first.State.ToString(); $second.State.ToString()
                Get-PeerNode | Stop-PeerNode
                'stopped'");

            result.ShouldSucceed();
            Assert.Equal(new object[] { "Running", "Running", "stopped" }, result.Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void PeerNode_raises_EventReceived_and_a_throwing_handler_is_removed()
        {
            var start = _session.Run("$index = Start-PeerNode -Protocol Napster -Role IndexServer; $index");
            start.ShouldSucceed();
            object node = start.Output.Single().BaseObject;
            var received = new ConcurrentQueue<string>();
            var evt = node.GetType().GetEvent("EventReceived");
            Assert.NotNull(evt);
            Assert.Equal("PeerEventArgs", evt.EventHandlerType.GetGenericArguments()[0].Name);
            int throwerCalls = 0;
            var thrower = Delegate.CreateDelegate(evt.EventHandlerType, new Handler(_ => { Interlocked.Increment(ref throwerCalls); throw new InvalidOperationException("handler fails"); }), typeof(Handler).GetMethod(nameof(Handler.On)));
            var recorder = Delegate.CreateDelegate(evt.EventHandlerType, new Handler(args =>
            {
                var e = PSObject.AsPSObject(args).Properties["Event"].Value;
                received.Enqueue((string)PSObject.AsPSObject(e).Properties["Type"].Value);
            }), typeof(Handler).GetMethod(nameof(Handler.On)));
            evt.AddEventHandler(node, thrower);
            evt.AddEventHandler(node, recorder);

            var joined = _session.Run("$a = Start-PeerNode -Protocol Napster -IndexServer $index -Name a; $b = Start-PeerNode -Protocol Napster -IndexServer $index -Name b; 'ok'");
            joined.ShouldSucceed();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (received.Count(r => r == "LoggedIn") < 2 && DateTime.UtcNow < deadline) Thread.Sleep(20);

            Assert.Equal(2, received.Count(r => r == "LoggedIn"));
            Assert.Equal(1, throwerCalls);   // removed after its first failure
            evt.RemoveEventHandler(node, recorder);
            _session.Run("Get-PeerNode | Stop-PeerNode").ShouldSucceed();
        }

        sealed class Handler
        {
            readonly Action<EventArgs> _on;
            public Handler(Action<EventArgs> on) => _on = on;
            public void On(object sender, EventArgs args) => _on(args);
        }

        public void Dispose() => _session.Dispose();
    }
}
