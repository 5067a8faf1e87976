using System.IO;
using System.Linq;
using PSPeer.Module.Tests.Support;
using Xunit;

namespace PSPeer.Module.Tests.Host
{
    public class ProgramTests
    {
        [Fact]
        public void No_arguments_prints_usage_and_exits_two()
        {
            Assert.Equal(2, PSPeer.Host.Program.Main(new string[0]));
        }

        [Fact]
        public void Missing_script_file_exits_two()
        {
            Assert.Equal(2, PSPeer.Host.Program.Main(new[] { Path.Combine(Path.GetTempPath(), "no-such-dir-pspeer", "missing.ps1") }));
        }

        [Fact]
        public void Command_runs_with_the_module_honours_exit_and_stops_its_nodes_before_returning()
        {
            int code = PSPeer.Host.Program.Main(new[] { "-Command", "$null = Start-PeerNode -Protocol Napster -Role IndexServer -Name hosted; exit 4" });

            Assert.Equal(4, code);
            // The node registry is process-wide: a fresh session sees whether the host left anything running.
            using (var session = new ModuleSession())
            {
                var left = session.Run("@(Get-PeerNode).Count");
                Assert.Equal(0, left.Output.Single().BaseObject);
            }
        }

        [Fact]
        public void Command_without_text_exits_two()
        {
            Assert.Equal(2, PSPeer.Host.Program.Main(new[] { "-Command" }));
        }
    }
}
