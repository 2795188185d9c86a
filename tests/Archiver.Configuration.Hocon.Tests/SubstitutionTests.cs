namespace Archiver.Configuration.Hocon.Tests;

public class SubstitutionTests
{
    [Fact]
    public void Substitution_CopiesAValueFromElsewhere()
    {
        var data = Hocon.Flatten("base = /var/archive\nstore = ${base}");

        Assert.Equal("/var/archive", data["store"]);
    }

    [Fact]
    public void Substitution_CanReferenceForward()
    {
        var data = Hocon.Flatten("store = ${base}\nbase = /var/archive");

        Assert.Equal("/var/archive", data["store"]);
    }

    [Fact]
    public void Substitution_SeesTheFinalMergedValue()
    {
        var data = Hocon.Flatten("a = 1\nb = ${a}\na = 2");

        Assert.Equal("2", data["b"]);
    }

    [Fact]
    public void Substitution_OfAnObject_CopiesTheWholeObject()
    {
        var data = Hocon.Flatten("defaults { retries = 3, timeout = 5s }\njob = ${defaults}");

        Assert.Equal("3", data["job:retries"]);
        Assert.Equal("5s", data["job:timeout"]);
    }

    [Fact]
    public void Substitution_ThenObject_MergesOnTopOfIt()
    {
        var data = Hocon.Flatten("defaults { retries = 3, timeout = 5s }\njob = ${defaults} { retries = 5 }");

        Assert.Equal("5", data["job:retries"]);
        Assert.Equal("5s", data["job:timeout"]);
    }

    [Fact]
    public void Substitution_WithObjectDefinedLater_Merges()
    {
        var data = Hocon.Flatten("""
            job = ${defaults}
            job { retries = 5 }
            defaults { retries = 3, timeout = 5s }
            """);

        Assert.Equal("5", data["job:retries"]);
        Assert.Equal("5s", data["job:timeout"]);
    }

    [Fact]
    public void Substitution_InsideAnObject_MayReferToASibling()
    {
        var data = Hocon.Flatten("bar { foo = 42, baz = ${bar.foo} }");

        Assert.Equal("42", data["bar:baz"]);
    }

    [Fact]
    public void Substitution_SiblingReference_SeesTheSameDefinition()
    {
        var data = Hocon.Flatten("""
            defaults { name = default }
            app = ${defaults}
            app { name = archiver, title = ${app.name}" service" }
            """);

        Assert.Equal("archiver service", data["app:title"]);
    }

    [Fact]
    public void ValueConcatenation_JoinsStringsAndSubstitutions()
    {
        var data = Hocon.Flatten("""
            b = middle
            c = "a"${b}"c"
            d = prefix ${b} suffix
            n = 42
            e = port-${n}
            """);

        Assert.Equal("amiddlec", data["c"]);
        Assert.Equal("prefix middle suffix", data["d"]);
        Assert.Equal("port-42", data["e"]);
    }

    [Fact]
    public void Substitution_AloneKeepsItsType_AndArraysConcatenate()
    {
        var data = Hocon.Flatten("a = [1, 2]\nb = ${a} [3]\nc = ${a}");

        Assert.Equal(new string?[] { "1", "2", "3" }, new[] { data["b:0"], data["b:1"], data["b:2"] });
        Assert.Equal("2", data["c:1"]);
    }

    [Fact]
    public void Substitution_InArrayElements_Resolves()
    {
        var data = Hocon.Flatten("x = 1\nlist = [${x}, \"${x}\", ${?missing}, 3]");

        Assert.Equal("1", data["list:0"]);
        Assert.Equal("${x}", data["list:1"]);
        Assert.Equal("3", data["list:2"]);
        Assert.False(data.ContainsKey("list:3"));
    }

    [Fact]
    public void SelfReference_SeesThePreviousValue()
    {
        var data = Hocon.Flatten("""
            path = /usr/bin
            path = ${path}":/opt/bin"
            list = [a]
            list = ${list} [b]
            """);

        Assert.Equal("/usr/bin:/opt/bin", data["path"]);
        Assert.Equal("b", data["list:1"]);
    }

    [Fact]
    public void SelfReference_IntoThePreviousObject_Works()
    {
        var data = Hocon.Flatten("foo { a = 1 }\nfoo = ${foo.a}");

        Assert.Equal("1", data["foo"]);
    }

    [Fact]
    public void SelfReference_FollowedByObject_FoldsInOrder()
    {
        var data = Hocon.Flatten("""
            foo { a { c = 1 } }
            foo = ${foo.a}
            foo { a = 2 }
            """);

        Assert.Equal("1", data["foo:c"]);
        Assert.Equal("2", data["foo:a"]);
    }

    [Fact]
    public void Cycle_IsAnErrorNamingThePath()
    {
        var error = Hocon.Fails("a = ${b}\nb = ${c}\nc = ${a}");

        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
        Assert.Contains("${b} -> ${c} -> ${a}", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.conf:3:5:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ObjectContainingItself_IsACycle()
    {
        var error = Hocon.Fails("a { b = ${a} }");

        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.conf:1:9:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingRequiredSubstitution_IsAnErrorWithPosition()
    {
        var error = Hocon.Fails("a = 1\nb = ${nope.missing}");

        Assert.Equal("test.conf:2:5: could not resolve substitution ${nope.missing}: 'nope.missing' is not set in the configuration and there is no environment variable 'nope.missing' (use ${?nope.missing} if it is optional)", error.Message);
        Assert.Equal(2, error.Line);
        Assert.Equal(5, error.Column);
    }

    [Fact]
    public void OptionalSubstitution_WhenMissing_LeavesFieldUnset()
    {
        var data = Hocon.Flatten("a = ${?nope}\nb = ${?x}${?y}");

        Assert.False(data.ContainsKey("a"));
        Assert.False(data.ContainsKey("b"));
    }

    [Fact]
    public void OptionalSubstitution_WhenMissing_KeepsTheEarlierValue()
    {
        var data = Hocon.Flatten("port = 8080\nport = ${?ARCHIVER_TEST_SURELY_UNSET_VARIABLE}");

        Assert.Equal("8080", data["port"]);
    }

    [Fact]
    public void OptionalSubstitution_InAStringConcatenation_IsEmpty()
    {
        var data = Hocon.Flatten("a = x${?nope}y");

        Assert.Equal("xy", data["a"]);
    }

    [Fact]
    public void OptionalSubstitution_PrefersTheConfigurationPath()
    {
        var environment = Hocon.Environment(("port", "1"));

        var data = Hocon.Flatten("port = 2\nuse = ${?port}", environment);

        Assert.Equal("2", data["use"]);
    }

    [Fact]
    public void OptionalSubstitution_FallsBackToTheEnvironment()
    {
        var name = "ARCHIVER_HOCON_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "from-env");
        try
        {
            var data = HoconLoader.LoadConfigurationData(
                $"port = 8080\nport = ${{?{name}}}\nmissing = ${{?{name}_UNSET}}",
                "test.conf",
                new Includes.PhysicalIncludeFileSystem());

            Assert.Equal("from-env", data["port"]);
            Assert.False(data.ContainsKey("missing"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void RequiredSubstitution_AlsoFallsBackToTheEnvironment()
    {
        var data = Hocon.Flatten("home = ${HOME_DIR}/archive", Hocon.Environment(("HOME_DIR", "/home/a")));

        Assert.Equal("/home/a/archive", data["home"]);
    }

    [Fact]
    public void EmptyEnvironmentVariable_CountsAsUnset()
    {
        var data = Hocon.Flatten("a = 1\na = ${?EMPTY}", Hocon.Environment(("EMPTY", string.Empty)));

        Assert.Equal("1", data["a"]);
    }

    [Fact]
    public void NullInConfiguration_BlocksEnvironmentFallback()
    {
        var data = Hocon.Flatten("HOME = null\nh = ${HOME}", Hocon.Environment(("HOME", "/root")));

        Assert.Null(data["h"]);
    }

    [Fact]
    public void SelfReference_WithNoPreviousValue_UsesTheEnvironment()
    {
        var data = Hocon.Flatten("PATH = ${PATH}\":/opt/archiver\"", Hocon.Environment(("PATH", "/usr/bin")));

        Assert.Equal("/usr/bin:/opt/archiver", data["PATH"]);
    }

    [Fact]
    public void QuotedSubstitutionPath_AddressesKeyWithDot()
    {
        var data = Hocon.Flatten("\"a.b\" = 1\nx { \"c.d\" = 2 }\ny = ${\"a.b\"}\nz = ${x.\"c.d\"}");

        Assert.Equal("1", data["y"]);
        Assert.Equal("2", data["z"]);
    }

    [Fact]
    public void ConcatenatingObjectAndString_IsAnError()
    {
        var error = Hocon.Fails("o { a = 1 }\nbad = ${o} text");

        Assert.StartsWith("test.conf:2:7:", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot concatenate object and string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SubstitutionsInsideQuotes_AreLiteralText()
    {
        Assert.Equal("${x}", Hocon.Flatten("a = \"${x}\"")["a"]);
    }

    [Fact]
    public void SubstitutionChains_ResolveTransitively()
    {
        var data = Hocon.Flatten("x = ${y}\ny = ${z}\nz = 3");

        Assert.Equal("3", data["x"]);
        Assert.Equal("3", data["y"]);
    }

    [Fact]
    public void RepeatedSelfReferences_FoldInOrder()
    {
        var data = Hocon.Flatten("a = 1\na = ${a}2\na = ${a}3\nx { v = 1 }\nx { v = ${x.v}0 }");

        Assert.Equal("123", data["a"]);
        Assert.Equal("10", data["x:v"]);
    }

    [Fact]
    public void ForwardReference_IntoAFieldBuiltFromSubstitutionAndObjects()
    {
        var data = Hocon.Flatten("""
            b = ${a.x}
            c = ${a.y}
            a = ${d}
            a { x = 2 }
            d { x = 1, y = 1 }
            """);

        Assert.Equal("2", data["b"]);
        Assert.Equal("1", data["c"]);
    }

    [Fact]
    public void SiblingReference_ToAFieldDefinedLaterInTheSameObject_Works()
    {
        var data = Hocon.Flatten("""
            d { name = default }
            app = ${d}
            app { title = ${app.name}"!", name = later }
            """);

        Assert.Equal("later!", data["app:title"]);
    }

    [Fact]
    public void OptionalSubstitution_MissingInObjectConcatenation_IsIgnored()
    {
        var data = Hocon.Flatten("a = ${?nope} { b = 1 }\nlist = ${?nothing} [1]");

        Assert.Equal("1", data["a:b"]);
        Assert.Equal("1", data["list:0"]);
    }

    [Fact]
    public void PlusEquals_OnANonArray_IsAnError()
    {
        var error = Hocon.Fails("a = 1\na += 2");

        Assert.Equal("test.conf:2:3: cannot concatenate number and array in one value (at 'a')", error.Message);
    }

    [Fact]
    public void SelfReferenceWithoutPreviousValue_IsAnError()
    {
        var error = Hocon.Fails("a = ${a}x");

        Assert.StartsWith("test.conf:1:5: could not resolve substitution ${a}", error.Message, StringComparison.Ordinal);
    }
}
