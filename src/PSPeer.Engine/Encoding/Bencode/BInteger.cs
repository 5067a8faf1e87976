namespace PSPeer.Engine.Bencoding
{
    /// <summary>A bencoded integer (i...e), within the range of a long.</summary>
    public sealed class BInteger : BValue
    {
        public BInteger(long value) { Value = value; }
        public long Value { get; }
        public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
