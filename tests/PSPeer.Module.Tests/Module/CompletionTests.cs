using System;
using System.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests
{
    /// <summary>
    /// Tab completion as PowerShell runs it (TabExpansion2 in the session): -Role by the -Protocol typed, node names
    /// for every parameter that takes a node, each narrowed to the nodes it can take; names bind where a node is taken.
    /// </summary>
    public class CompletionTests : IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();

        const string Nodes = @"
            $null = Start-PeerNode -Protocol Napster -Role IndexServer -Name idx
            $null = Start-PeerNode -Protocol Gnutella -Name 'gnu one'
            $null = Start-PeerNode -Protocol BitTorrent -Role Tracker -Name trk";

        string[] Complete(string line)
        {
            var result = _session.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText",
                new System.Collections.Generic.Dictionary<string, object> { ["line"] = line });
            result.ShouldSucceed();
            return result.Output.Select(o => (string)o.BaseObject).ToArray();
        }

        [Theory]
        [InlineData("Start-PeerNode -Protocol BitTorrent -Role ", "Tracker,Seeder,Leecher")]
        [InlineData("Start-PeerNode -Protocol Gnutella -Role ", "Ultrapeer,Leaf,Peer")]
        [InlineData("Start-PeerNode -Role ", "IndexServer,Peer")]
        [InlineData("Start-PeerNode Gnutella -Role L", "Leaf")]
        public void Role_completes_with_the_roles_of_the_protocol(string line, string expected)
        {
            Assert.Equal(expected.Split(','), Complete(line));
        }

        [Theory]
        [InlineData("Start-PeerNode -IndexServer ", "idx")]
        [InlineData("Start-PeerNode -Protocol Gnutella -Bootstrap ", "'gnu one'")]
        [InlineData("Start-PeerNode -Protocol BitTorrent -Role Leecher -Tracker ", "trk")]
        [InlineData("New-Torrent x -Tracker ", "trk")]
        [InlineData("Find-PeerFile x -Via ", "idx,'gnu one',trk")]
        [InlineData("Stop-PeerNode -Node ", "idx,'gnu one',trk")]
        [InlineData("Watch-PeerEvent -Node g", "'gnu one'")]
        [InlineData("Get-PeerEventStream -Node t", "trk")]
        [InlineData("Publish-PeerFile x -Node ", "idx,'gnu one',trk")]
        [InlineData("Receive-PeerFile -Torrent x -Tracker ", "trk")]
        public void Node_parameters_complete_node_names_not_file_names(string line, string expected)
        {
            _session.Run(Nodes).ShouldSucceed();
            _session.Run("[IO.File]::WriteAllText(\"$PWD/idx-file.txt\", 'a file the completion must not offer')").ShouldSucceed();

            Assert.Equal(expected.Split(','), Complete(line));
        }

        [Fact]
        public void A_completed_name_binds_where_a_node_is_taken()
        {
            var result = _session.Run(Nodes + @"
                (Get-PeerEventStream -Node 'gnu one') -ne $null
                'trk' | Get-PeerEventStream | ForEach-Object { $_ -ne $null }");

            result.ShouldSucceed();
            Assert.Equal(new object[] { true, true }, result.Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void An_unknown_name_where_a_node_is_taken_says_so()
        {
            var result = _session.Run("Get-PeerEventStream -Node nosuch");

            var error = Assert.Single(result.AllErrors);
            Assert.Contains("No node named 'nosuch'", error.ToString());
        }

        [Fact]
        public void A_role_that_is_no_role_is_a_validation_error_listing_the_roles()
        {
            var result = _session.Run("Start-PeerNode -Role Bogus");

            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith("ParameterArgumentValidationError,", error.FullyQualifiedErrorId);
            Assert.Contains("IndexServer", error.ToString());
        }

        public void Dispose() => _session.Dispose();
    }
}
