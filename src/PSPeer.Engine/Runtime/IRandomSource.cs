namespace PSPeer.Engine.Runtime
{
    public interface IRandomSource
    {
        int Next(int maxExclusive);
        int Next(int minInclusive, int maxExclusive);
        double NextDouble();
        void NextBytes(byte[] buffer);
    }
}
