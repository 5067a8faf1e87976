using System;
using System.Management.Automation;

namespace PSPeer.Pester.Tests
{
    /// <summary>
    /// One line of what Invoke-PesterSuite.ps1 emits: an It (Kind "It") with its result, or a block or container that
    /// failed outside its Its (Kind "Block"/"Container"). <see cref="Path"/> is Pester's unexpanded path, the same at
    /// discovery and at run time; <see cref="Name"/> is the expanded one shown as the test's name.
    /// </summary>
    public sealed class PesterRecord
    {
        public string Kind { get; private set; }
        public string Path { get; private set; }
        public string Name { get; private set; }
        public string Result { get; private set; }
        public double Seconds { get; private set; }
        public string Message { get; private set; }

        public bool IsIt => Kind == "It";

        public static PesterRecord From(PSObject record) => new PesterRecord
        {
            Kind = Text(record, "Kind"),
            Path = Text(record, "Path"),
            Name = Text(record, "Name"),
            Result = Text(record, "Result"),
            Seconds = record.Properties["Seconds"]?.Value is double seconds ? seconds : 0,
            Message = Text(record, "Message"),
        };

        static string Text(PSObject record, string name) => Convert.ToString(record.Properties[name]?.Value) ?? string.Empty;
    }
}
