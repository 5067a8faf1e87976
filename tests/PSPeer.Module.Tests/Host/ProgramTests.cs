using System.IO;
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
        public void Command_without_text_exits_two()
        {
            Assert.Equal(2, PSPeer.Host.Program.Main(new[] { "-Command" }));
        }
    }
}
