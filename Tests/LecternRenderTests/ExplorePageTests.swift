import Testing
@testable import LecternRender
import LecternDocument
import LecternResults

@Suite struct ExplorePageParts {
    @Test func eachVariantIsStoredOnceAndTheDefaultNotAtAll() {
        let t = VariantTable()
        // Three combinations, the default second.
        #expect(t.add(["a", "b", "a"], defaultIndex: 1) == 0)
        #expect(t.add(["a", "c", "c"], defaultIndex: 0) == 1)
        #expect(t.variants == ["a", "c"])
        #expect(t.slots == [[0, -1, 0], [-1, 1, 1]])
    }

    @Test func theScriptDataCannotEndItsElement() {
        #expect(ExplorePage.jsonString("</script>&\"\\\n") == "\"\\u003c/script\\u003e\\u0026\\\"\\\\\\u000a\"")
    }

    @Test func onlyOutputsThatDifferSwitch() {
        let doc = Document.parse(path: "Lectures/01-x.md", bytes: Array("""
        ---
        params:
          r: {value: 1, values: [1, 2]}
        ---
        Same `{swift} 7` and changing `{swift} r`.

        """.utf8))
        #expect(doc.diagnostics.isEmpty)
        func run(_ v: String) -> LectureRun { LectureRun(cells: [], inlines: [.value("7"), .value(v)]) }
        let (all, d) = FrontMatter.combinations(doc.frontMatter.params)
        let e = Exploration(params: FrontMatter.explorable(doc.frontMatter.params), combinations: all,
                            runs: [run("1"), run("2")], defaultIndex: d)
        let page = String(decoding: LectureRenderer.render(doc, run: e.defaultRun, exploration: e, courseTitle: "C",
                                                           previous: nil, next: nil).files[0].bytes, as: UTF8.self)
        #expect(page.contains("Same <span class=\"value\">7</span> and changing <span class=\"lx-var\" data-lx=\"0\"><span class=\"value\">1</span></span>."))
        #expect(page.contains("<template id=\"lx-t-0\"><span class=\"value\">2</span></template>"))
        #expect(page.contains("\"slots\":[[-1,0]]"))
        #expect(page.contains("<script defer src=\"assets/explore.js\"></script>"))
        #expect(page.contains("<select data-lx-param=\"0\"><option value=\"0\" selected>1</option><option value=\"1\">2</option></select>"))
    }
}
