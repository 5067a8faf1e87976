using System;
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
            var now = TimeSpan.Zero;   // the test's clock: 200 records over 2.5 s, 12.5 ms apart
            var ui = new PeerHostUserInterface(new HostConsole(new StringWriter(), error, errorIsTerminal: false, width: 0, clock: () => now));

            for (int i = 0; i < 200; i++)
            {
                ui.WriteProgress(1, new ProgressRecord(7, "Downloading", "file.bin") { PercentComplete = i / 2 });
                now += TimeSpan.FromMilliseconds(12.5);
            }
            ui.WriteProgress(1, new ProgressRecord(7, "Downloading", "done") { RecordType = ProgressRecordType.Completed });

            // One line at once, then one per second of the clock: at 0, 1.0 and 2.0 s.
            var lines = error.ToString().Split('\n').Where(l => l.Length > 0).ToArray();
            Assert.Equal(3, lines.Length);
            Assert.StartsWith("Downloading: file.bin [", lines[0]);
            Assert.EndsWith("0%", lines[0]);
            Assert.EndsWith("40%", lines[1]);
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
