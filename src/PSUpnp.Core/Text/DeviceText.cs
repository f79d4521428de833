namespace PSUpnp.Text
{
    /// <summary>Text a device sent, made safe to quote in an error message or a trace line.</summary>
    internal static class DeviceText
    {
        /// <summary>Long enough to recognise a line, short enough that a megabyte of header does not become the message.</summary>
        private const int MaxShown = 80;

        /// <summary>
        /// <paramref name="text"/> cut to 80 characters (then "..."), with every control
        /// character and U+FFFD (bytes that were not valid UTF-8) shown as '?': a hostile device must not be able to
        /// move the console's cursor, or ring its bell.
        /// </summary>
        public static string Printable(string text)
        {
            var shown = text.Length > MaxShown ? text.Substring(0, MaxShown) + "..." : text;
            var chars = shown.ToCharArray();
            for (var i = 0; i < chars.Length; i++)
            {
                if (char.IsControl(chars[i]) || chars[i] == '\uFFFD')
                {
                    chars[i] = '?';
                }
            }

            return new string(chars);
        }
    }
}
