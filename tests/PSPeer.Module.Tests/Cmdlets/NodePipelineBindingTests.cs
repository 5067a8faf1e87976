using System;
using System.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>
    /// Node objects bind as nodes wherever a cmdlet takes one, from the pipeline too: -Node is the node acted upon
    /// (Stop-PeerNode, Watch-PeerEvent), -Via the node acted through (Find-, Publish-, Receive-PeerFile). A stopped node
    /// is a clear NodeNotRunning error, never a silent no-op.
    /// </summary>
    public class NodePipelineBindingTests : IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();
        readonly NapsterScenario _scenario;

        public NodePipelineBindingTests() => _scenario = new NapsterScenario(_session);

        ScriptResult Run(string script)
        {
            var variables = _scenario.Variables;
            variables["extra"] = _session.Temp.Sub("extra");
            return _session.Run(NapsterScenario.StartScript + script, variables);
        }

        [Fact]
        public void A_network_node_piped_to_Stop_PeerNode_stops_that_node()
        {
            var result = Run(@"
                $net = New-PeerNetwork -Protocol Gnutella -Count 10 -Simulated -Seed 3
                $net.Nodes[0] | Stop-PeerNode -PassThru | ForEach-Object { $_.Name }
                $net.Nodes[0].State.ToString()
                $net.Nodes[1].State.ToString()");

            result.ShouldSucceed();
            Assert.Equal(new object[] { "Gnutella-Network-1-0", "Stopped", "Running" }, result.Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void A_stopped_node_piped_in_is_NodeNotRunning_and_names_still_bind_by_name()
        {
            var result = Run(@"
                $alice | Stop-PeerNode
                $alice | Stop-PeerNode
                [pscustomobject]@{ Name = 'bob' } | Stop-PeerNode -PassThru | ForEach-Object { 'by property: ' + $_.Name }
                Stop-PeerNode Napster-* -PassThru | ForEach-Object { 'by name: ' + ($_.Name -eq $index.Name) }
                'after'");

            var error = Assert.Single(result.Errors);
            Assert.StartsWith("NodeNotRunning,", error.FullyQualifiedErrorId);
            Assert.Contains("alice", error.Exception.Message);
            Assert.Equal(new object[] { "by property: bob", "by name: True", "after" }, result.Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void Via_takes_a_node_from_the_pipeline_and_Publish_keeps_Node_as_an_alias()
        {
            var result = Run(@"
                $file = [IO.Path]::Combine($extra, 'Yellow Submarine.mp3')
                [IO.File]::WriteAllBytes($file, [byte[]](1..200))
                ($bob | Publish-PeerFile $file -PassThru).Node.Name
                (Publish-PeerFile $file -Via $bob -PassThru).Count
                ($alice | Find-PeerFile 'yellow submarine' -Timeout 5).Name
                (Find-PeerFile 'yellow submarine' -Node $alice -Timeout 5).Name");

            result.ShouldSucceed();
            Assert.Equal(new object[] { "bob", 0, "Yellow Submarine.mp3", "Yellow Submarine.mp3" }, result.Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void Acting_through_a_stopped_node_is_NodeNotRunning()
        {
            var result = Run(@"
                $alice | Stop-PeerNode
                Find-PeerFile 'Hey Jude' -Via $alice");

            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith("NodeNotRunning,", error.FullyQualifiedErrorId);
            Assert.Contains("-Via", error.ErrorDetails.RecommendedAction);
        }

        public void Dispose() => _session.Dispose();
    }
}
