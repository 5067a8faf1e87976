using System;
using System.Management.Automation.Host;

namespace PSPeer.Host.Hosting
{
    /// <summary>
    /// The little PowerShell's formatter asks of a console: mainly its width (BufferSize), which decides how tables
    /// are laid out. Nothing here reads keys or draws on a screen buffer.
    /// </summary>
    public sealed class PeerHostRawUserInterface : PSHostRawUserInterface
    {
        const int Height = 50;
        readonly int _width;

        public PeerHostRawUserInterface(int width) => _width = width;

        public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
        public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
        public override Size BufferSize { get => new Size(_width, Height); set { } }
        public override Coordinates CursorPosition { get; set; }
        public override int CursorSize { get; set; } = 25;
        public override bool KeyAvailable => false;
        public override Size MaxPhysicalWindowSize => new Size(_width, Height);
        public override Size MaxWindowSize => new Size(_width, Height);
        public override Coordinates WindowPosition { get; set; }
        public override Size WindowSize { get => new Size(_width, Height); set { } }
        public override string WindowTitle { get; set; } = "PSPeer";

        public override void FlushInputBuffer() { }
        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException("The PSPeer script host cannot read keys.");
        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException("The PSPeer script host has no screen buffer.");
        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) { }
        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) { }
        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) { }
    }
}
