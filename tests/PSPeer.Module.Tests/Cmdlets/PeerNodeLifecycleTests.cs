using System.Linq;
using System.Management.Automation;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>Start-PeerNode, Get-PeerNode, Stop-PeerNode through real parameter binding and pipelines.</summary>
    public class PeerNodeLifecycleTests : System.IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();
        readonly NapsterScenario _scenario;

        public PeerNodeLifecycleTests() => _scenario = new NapsterScenario(_session);

        ScriptResult Run(string script) => _session.Run(NapsterScenario.StartScript + script, _scenario.Variables);

        [Fact]
        public void Started_nodes_are_listed_in_start_order_and_running()
        {
            var result = Run("Get-PeerNode");

            result.ShouldSucceed();
            var nodes = result.OfType("PSPeer.PeerNode").ToList();
            Assert.Equal(3, nodes.Count);
            Assert.Equal("IndexServer", nodes[0].Properties["Role"].Value.ToString());
            Assert.Equal(new[] { "bob", "alice" }, nodes.Skip(1).Select(n => (string)n.Properties["Name"].Value));
            Assert.All(nodes, n => Assert.Equal("Running", n.Properties["State"].Value.ToString()));
            Assert.All(nodes, n => Assert.StartsWith("127.0.0.1:", (string)n.Properties["EndPoint"].Value));
        }

        [Fact]
        public void Get_PeerNode_by_wildcard_and_unknown_name()
        {
            var result = Run("Get-PeerNode -Name 'b*'; Get-PeerNode -Name nobody");

            Assert.Equal(new[] { "bob" }, result.OfType("PSPeer.PeerNode").Select(n => (string)n.Properties["Name"].Value));
            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith("PeerNodeNotFound,", error.FullyQualifiedErrorId);
        }

        [Fact]
        public void Stop_PeerNode_WhatIf_stops_nothing()
        {
            var result = Run("$bob | Stop-PeerNode -WhatIf; Get-PeerNode -Name bob");

            result.ShouldSucceed();
            var bob = Assert.Single(result.OfType("PSPeer.PeerNode"));
            Assert.Equal("Running", bob.Properties["State"].Value.ToString());
            Assert.False(Ports.IsFree(Ports.Of((string)bob.Properties["EndPoint"].Value)));
        }

        [Fact]
        public void Stop_PeerNode_stops_the_node_and_frees_its_port()
        {
            var started = Run("$bob.EndPoint; $index.EndPoint");
            started.ShouldSucceed();
            int bobPort = Ports.Of((string)started.Output[0].BaseObject);
            int indexPort = Ports.Of((string)started.Output[1].BaseObject);

            var result = _session.Run("Stop-PeerNode -Name bob; $index | Stop-PeerNode -PassThru | ForEach-Object { $_.State.ToString() }; (Get-PeerNode).Name");

            result.ShouldSucceed();
            Assert.Equal(new object[] { "Stopped", "alice" }, result.Output.Select(o => o.BaseObject).ToArray());
            Assert.True(Ports.IsFree(bobPort), "bob's HTTP port is still held after Stop-PeerNode");
            Assert.True(Ports.IsFree(indexPort), "the index server's port is still held after Stop-PeerNode");
        }

        [Fact]
        public void Duplicate_name_is_refused()
        {
            var result = Run("Start-PeerNode -Protocol Napster -IndexServer $index -Name bob");

            Assert.StartsWith("PeerNodeNameInUse,", Assert.Single(result.AllErrors).FullyQualifiedErrorId);
        }

        [Fact]
        public void Remove_Module_stops_every_node_and_frees_every_port()
        {
            var started = Run("(Get-PeerNode).EndPoint");
            started.ShouldSucceed();
            var ports = started.Output.Select(o => Ports.Of((string)o.BaseObject)).ToList();
            Assert.Equal(3, ports.Count);

            var removed = _session.Run("Remove-Module PSPeer; (Get-Module PSPeer) -eq $null");

            removed.ShouldSucceed();
            Assert.Equal(true, removed.Output.Single().BaseObject);
            Assert.All(ports, port => Assert.True(Ports.IsFree(port), $"port {port} is still held after Remove-Module"));
        }

        public void Dispose() => _session.Dispose();
    }
}
