using System.IO;
using System.Linq;
using System.Management.Automation;
using PSPeer.Host.Hosting;
using Xunit;

namespace PSPeer.Module.Tests.Host
{
    public class ProgressLineTests
    {
        [Fact]
        public void Redirected_progress_is_throttled_and_completed_records_print_nothing()
        {
            var error = new StringWriter();
            var ui = new PeerHostUserInterface(HostConsole.Captured(new StringWriter(), error));

            for (int i = 0; i < 200; i++)
                ui.WriteProgress(1, new ProgressRecord(7, "Downloading", "file.bin") { PercentComplete = i / 2 });
            ui.WriteProgress(1, new ProgressRecord(7, "Downloading", "done") { RecordType = ProgressRecordType.Completed });

            var lines = error.ToString().Split('\n').Where(l => l.Length > 0).ToArray();
            Assert.InRange(lines.Length, 1, 199);
            Assert.StartsWith("Downloading: file.bin [", lines[0]);
            Assert.DoesNotContain(lines, l => l.Contains("done"));
        }

        [Fact]
        public void Terminal_progress_redraws_one_line_and_the_completed_record_clears_it()
        {
            var error = new StringWriter();
            var ui = new PeerHostUserInterface(new HostConsole(new StringWriter(), error, errorIsTerminal: true, width: 60));

            ui.WriteProgress(1, new ProgressRecord(7, "Downloading", "file.bin") { PercentComplete = 50 });
            ui.WriteProgress(1, new ProgressRecord(7, "Downloading", "file.bin") { RecordType = ProgressRecordType.Completed });

            string text = error.ToString();
            Assert.DoesNotContain("\n", text);
            Assert.Contains("[##########..........] 50%", text);
            Assert.EndsWith("\r" + new string(' ', 59) + "\r", text);
        }
    }
}
