using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>
    /// Watch-PeerEvent blocks its pipeline while it collects, so the events it should see are caused from a second
    /// runspace in the same process (as a second PowerShell window would), which keeps causing them until the
    /// watcher has what it asked for.
    /// </summary>
    public class WatchPeerEventTests : IDisposable
    {
        readonly ModuleSession _watcher = new ModuleSession();
        readonly ModuleSession _other = new ModuleSession();
        readonly NapsterScenario _scenario;

        public WatchPeerEventTests() => _scenario = new NapsterScenario(_watcher);

        string StartIndex()
        {
            var started = _watcher.Run(NapsterScenario.StartScript + "$index.EndPoint", _scenario.Variables);
            started.ShouldSucceed();
            return (string)started.Output.Single().BaseObject;
        }

        /// <summary>Runs <paramref name="watch"/> in the watcher while <paramref name="cause"/> repeats in the other session.</summary>
        IReadOnlyList<PSObject> WatchWhile(string watch, string cause, IDictionary<string, object> causeVariables)
        {
            using (var ps = _watcher.Create(watch))
            {
                var output = new PSDataCollection<PSObject>();
                IAsyncResult pending = ps.BeginInvoke<PSObject, PSObject>(null, output);
                for (int round = 0; round < 40 && !pending.IsCompleted; round++)
                {
                    causeVariables["round"] = round;
                    _other.Run(cause, causeVariables).ShouldSucceed();
                    pending.AsyncWaitHandle.WaitOne(TimeSpan.FromMilliseconds(250));
                }
                Assert.True(pending.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(60)), "Watch-PeerEvent did not finish");
                ps.EndInvoke(pending);
                Assert.Empty(ps.Streams.Error);
                return output.ToList();
            }
        }

        [Fact]
        public void Count_stops_after_that_many_LoggedIn_events()
        {
            string endPoint = StartIndex();

            var events = WatchWhile("Watch-PeerEvent -Node $index -Type LoggedIn -Count 2 -Timeout 60",
                "$null = Start-PeerNode -Protocol Napster -IndexServer $endPoint -Name \"joiner$round\"",
                new Dictionary<string, object> { ["endPoint"] = endPoint });

            Assert.Equal(2, events.Count);
            Assert.All(events, e => Assert.Equal("LoggedIn", e.Properties["Type"].Value));
            Assert.All(events, e => Assert.Contains("PSPeer.Engine.Core.PeerEvent", e.TypeNames));
            Assert.All(events, PlainObject.AssertPlain);
        }

        [Fact]
        public void Searches_from_another_peer_arrive_as_SearchReceived_and_render_as_a_table()
        {
            string endPoint = StartIndex();
            _other.Run("$seeker = Start-PeerNode -Protocol Napster -IndexServer $endPoint -Name seeker",
                new Dictionary<string, object> { ["endPoint"] = endPoint }).ShouldSucceed();

            var events = WatchWhile("$seen = Watch-PeerEvent -Node $index -Type SearchReceived -Count 1 -Timeout 60; $seen",
                "$null = Find-PeerFile 'Hey Jude' -Via $seeker -Timeout 2", new Dictionary<string, object>());

            var received = Assert.Single(events);
            Assert.Equal("SearchReceived", received.Properties["Type"].Value);

            var header = FormatViewTests.HeaderLine(_watcher.Render("$seen"));
            foreach (string column in new[] { "Time", "Node", "Type" }) Assert.Contains(column, header);
        }

        [Fact]
        public void Timeout_with_nothing_happening_ends_with_no_events_and_no_error()
        {
            StartIndex();

            var result = _watcher.Run("Watch-PeerEvent -Node $index -Type SearchReceived -Timeout 1");

            result.ShouldSucceed();
            Assert.Empty(result.Output);
        }

        [Fact]
        public void Get_PeerEventStream_hands_back_one_observable()
        {
            StartIndex();

            var result = _watcher.Run("Get-PeerEventStream -Node $index");

            result.ShouldSucceed();
            var stream = Assert.Single(result.Output).BaseObject;
            Assert.Contains(stream.GetType().GetInterfaces(),
                i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IObservable<>) && i.GetGenericArguments()[0].Name == "PeerEvent");
        }

        public void Dispose()
        {
            _other.Dispose();
            _watcher.Dispose();
        }
    }
}
