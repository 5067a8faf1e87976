namespace PSPeer.Engine.Napster
{
    /// <summary>UnshareFile (102): "name".</summary>
    public static class NapsterUnshare
    {
        public static string Format(string name) => "\"" + name + "\"";

        public static string Parse(string payload)
        {
            var r = new NapsterFieldReader(payload, "unshare");
            // OpenNap's notes show the name unquoted; accept both forms.
            string trimmed = (payload ?? "").Trim();
            if (trimmed.Length > 0 && trimmed[0] != '"') return trimmed;
            string name = r.Quoted("the file name");
            if (name.Length == 0) throw r.Fail("the file name is empty");
            return name;
        }
    }
}
