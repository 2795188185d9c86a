using System.Text;

namespace Archiver.Configuration.Hocon.Tests;

public class RobustnessTests
{
    private static readonly string[] Fragments =
    [
        "a", "b.c", "\"q\"", "\"\"\"t\"\"\"", " ", "\n", "=", ":", "+=", ",", "{", "}", "[", "]", "${a}", "${?b.c}", "${",
        "#c\n", "//c\n", "include \"x.conf\"", "include required(\"missing\")", "1", "true", "null", "\\", "@", "$", "+",
        "\"", "\"\"\"", "a = ${a}", "b = ${a}", "a += 1", "(", ")", "\r\n", ".", "..", "\t",
    ];

    [Fact]
    public void RandomInput_FailsOnlyWithHoconException()
    {
        var random = new Random(20240601);
        for (var i = 0; i < 5000; i++)
        {
            var text = new StringBuilder();
            var count = random.Next(1, 25);
            for (var j = 0; j < count; j++)
            {
                text.Append(Fragments[random.Next(Fragments.Length)]);
            }

            try
            {
                Hocon.Flatten(text.ToString());
            }
            catch (HoconException)
            {
                // expected for most inputs
            }
            catch (Exception e)
            {
                Assert.Fail($"input {text} threw {e}");
            }
        }
    }

    [Fact]
    public void DeepNesting_IsAnErrorNotACrash()
    {
        var error = Hocon.Fails("a = " + new string('[', 100_000));

        Assert.Contains("nested more than 256 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LongSubstitutionChains_AreAnErrorNotACrash()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"k{i} = ${{k{i + 1}}}\n");
        }

        text.Append("k10000 = end\n");

        var error = Hocon.Fails(text.ToString());

        Assert.Contains("more than 256 levels", error.Message, StringComparison.Ordinal);
    }
}
