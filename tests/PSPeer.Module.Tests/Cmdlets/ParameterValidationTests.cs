using System;
using System.Linq;
using System.Management.Automation;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Cmdlets
{
    /// <summary>
    /// Mistakes a PowerShell user makes first get one clear error with its own id and the right category, and nothing
    /// starts: parameters the chosen protocol or role does not take, a file where a folder is expected, a name the
    /// protocol cannot carry, an event type no node emits, a stopped network measured.
    /// </summary>
    public class ParameterValidationTests : IDisposable
    {
        readonly ModuleSession _session = new ModuleSession();

        /// <summary>Runs <paramref name="script"/>, expects exactly one error, and checks its id, category and that no node is left.</summary>
        ErrorRecord SingleError(string script, string id, ErrorCategory category)
        {
            var result = _session.Run(script);
            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith(id + ",", error.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
            var left = _session.Run("@(Get-PeerNode | Where-Object Role -ne IndexServer).Count");
            Assert.Equal(0, left.Output.Single().BaseObject);
            return error;
        }

        [Theory]
        [InlineData("-Protocol Gnutella -IndexServer $idx", "IndexServer", "Napster Peer")]
        [InlineData("-Protocol Gnutella -Role Leaf -IndexServer 127.0.0.1:1", "IndexServer", "Napster Peer")]
        [InlineData("-Protocol Napster -Bootstrap 127.0.0.1:1", "Bootstrap", "Gnutella")]
        [InlineData("-Protocol BitTorrent -Role Tracker -Bootstrap 127.0.0.1:1", "Bootstrap", "Gnutella")]
        [InlineData("-Protocol BitTorrent -Role Tracker -SharedPath .", "SharedPath", "Seeder or Leecher")]
        [InlineData("-Protocol Napster -Role IndexServer -SharedPath .", "SharedPath", "Napster Peer")]
        [InlineData("-Protocol Gnutella -UploadLimit 0", "UploadLimit", "BitTorrent Seeder or Leecher")]
        [InlineData("-Protocol Napster -Role IndexServer -Tracker http://127.0.0.1:1/announce", "Tracker", "BitTorrent Seeder or Leecher")]
        public void A_parameter_the_protocol_and_role_do_not_take_is_ParameterNotApplicable(string arguments, string parameter, string takenBy)
        {
            var error = SingleError("$idx = Start-PeerNode -Role IndexServer -Name idx\nStart-PeerNode " + arguments,
                "ParameterNotApplicable", ErrorCategory.InvalidArgument);

            Assert.Contains("-" + parameter + " applies to", error.Exception.Message);
            Assert.Contains(takenBy, error.Exception.Message);
        }

        [Fact]
        public void A_role_the_protocol_does_not_have_is_RoleNotSupported_listing_its_roles()
        {
            var error = SingleError("Start-PeerNode -Protocol BitTorrent -Role Leaf", "RoleNotSupported", ErrorCategory.InvalidArgument);

            Assert.Contains("Tracker, Seeder, Leecher", error.Exception.Message);
        }

        [Theory]
        [InlineData("-Protocol Gnutella")]
        [InlineData("-Protocol Napster -IndexServer $idx")]
        [InlineData("-Protocol BitTorrent -Role Leecher -Torrent ./t.torrent")]
        public void A_file_as_SharedPath_is_SharedPathNotFolder(string arguments)
        {
            string script = "$idx = Start-PeerNode -Role IndexServer -Name idx\n" +
                            "[IO.File]::WriteAllText(\"$PWD/song.mp3\", 'la la')\n" +
                            "$null = New-Torrent ./song.mp3 -OutFile ./t.torrent\n" +
                            "Start-PeerNode " + arguments + " -SharedPath ./song.mp3";

            var error = SingleError(script, "SharedPathNotFolder", ErrorCategory.InvalidArgument);

            Assert.Contains("song.mp3", error.Exception.Message);
            Assert.DoesNotContain("does not exist", error.Exception.Message);
        }

        [Fact]
        public void A_Napster_peer_name_with_a_space_is_PeerNodeNameInvalid_without_the_engine_parameter_name()
        {
            var error = SingleError("$idx = Start-PeerNode -Role IndexServer -Name idx\nStart-PeerNode -Name 'my peer'",
                "PeerNodeNameInvalid", ErrorCategory.InvalidArgument);

            Assert.Contains("'my peer'", error.ToString());
            Assert.DoesNotContain("(Parameter", error.ToString());
        }

        [Fact]
        public void Names_with_spaces_stay_allowed_where_the_protocol_does_not_carry_them()
        {
            var result = _session.Run("(Start-PeerNode -Protocol Gnutella -Name 'my servent').Name");

            result.ShouldSucceed();
            Assert.Equal("my servent", result.Output.Single().BaseObject);
        }

        [Theory]
        [InlineData("Bogus")]
        [InlineData("Nothing*")]
        public void An_event_type_no_node_emits_is_PeerEventTypeUnknown(string type)
        {
            var result = _session.Run($"$idx = Start-PeerNode -Role IndexServer\nWatch-PeerEvent -Node $idx -Type Download*,'{type}' -Timeout 30");

            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith("PeerEventTypeUnknown,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains("DownloadVerified", error.Exception.Message);
        }

        [Fact]
        public void Known_event_types_and_wildcards_that_match_one_are_accepted()
        {
            var result = _session.Run("$idx = Start-PeerNode -Role IndexServer\nWatch-PeerEvent -Node $idx -Type nodestarted,Query*,PieceVerified -Timeout 0.2");

            result.ShouldSucceed();
        }

        [Fact]
        public void Measuring_a_stopped_network_is_PeerNetworkStopped_not_zeros()
        {
            var result = _session.Run("$net = New-PeerNetwork -Count 20 -Simulated\n$net | Stop-PeerNode\n$net | Measure-PeerNetwork");

            Assert.Empty(result.Output);
            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith("PeerNetworkStopped,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
        }

        public void Dispose() => _session.Dispose();
    }
}
